// Breaks CON-2: every client thread reads into, and echoes from, one shared static buffer.
//
// A thread-per-client echo server whose handler was written for one client at a time and kept
// its buffer `static` (to keep 16 KiB off the stack, or left over from an iterative version).
// With one client it is perfect. With several at once, a thread's recv() overwrites the bytes
// another thread is about to send: clients receive pieces of each other's data.
//
// The short sleep stands for the work a real handler does between reading and answering (a
// lookup, a log write). It widens the window in which another thread's recv() overwrites the
// buffer, so that 50 concurrent clients see the cross-talk in every run, not in most.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "targets/broken/support/support.hpp"

namespace {

void echo(int fd) {
  static char buf[16384];  // the bug: one buffer for every thread
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // "processing"
    if (!sockspec::broken::send_all(fd, buf, static_cast<std::size_t>(n))) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, [](int client) {
    echo(client);
    ::close(client);
  });
}
