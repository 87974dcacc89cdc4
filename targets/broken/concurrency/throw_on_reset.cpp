// Breaks CON-5: a client's reset throws std::system_error out of its thread: std::terminate.
//
// A thread-per-client echo server with the usual thin C++ socket wrapper: recv() and send()
// throw std::system_error on failure. Nothing catches it in the thread function, and an
// exception that leaves a std::thread's function calls std::terminate(): one client resetting
// its connection (ECONNRESET, EPIPE) aborts the process and every other client's exchange.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <thread>

#include "targets/broken/support/support.hpp"

namespace {

std::size_t checked(ssize_t n, const char* what) {
  if (n < 0) throw std::system_error(errno, std::generic_category(), what);
  return static_cast<std::size_t>(n);
}

void echo(int fd) {
  char buf[16384];
  while (const std::size_t n = checked(::recv(fd, buf, sizeof buf, 0), "recv")) {
    for (std::size_t done = 0; done < n;) {
      done += checked(::send(fd, buf + done, n - done, MSG_NOSIGNAL), "send");
    }
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
    echo(client);  // the bug: no try/catch; a throw here is std::terminate()
    ::close(client);
  });
}
