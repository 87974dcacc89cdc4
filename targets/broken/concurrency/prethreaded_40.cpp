// Breaks CON-2: a pre-threaded server of 40 threads, each accepting and serving one client at a
// time: the 41st client connected at once waits, unserved, until one of the 40 leaves.
//
// The "thread pool, each thread calls accept()" design (Stevens, UNP 30.12; a fixed-size worker
// pool in many servers): 40 threads are started up front and each loops on accept(), then serves
// its client to the end. Nothing is wrong for up to 40 clients, and beyond 40 nothing fails
// either: the kernel completes the handshakes and the connections wait in the listen backlog
// until a thread is free. So a run where clients come and go passes; only clients that are all
// connected at once, each waiting to be served while the others hold their connections, see
// that the server serves 40 of them. Its profile does not declare `max-clients: 40`: the cap is
// silent, which is the bug.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <span>
#include <thread>
#include <vector>

#include "targets/broken/support/support.hpp"
#include "targets/proto/line_session.hpp"

namespace {

using namespace sockspec;

constexpr int kThreads = 40;  // the bug: a fixed pool, and no more clients served at once

// The line service: the reference server's session, fed what arrives, until it closes or the
// client's EOF.
void serve_lines(int fd) {
  sockaddr_storage peer{};
  socklen_t peer_len = sizeof peer;
  ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len);
  proto::LineSession session(
      proto::Context{broken::address_text(reinterpret_cast<sockaddr*>(&peer), peer_len)});
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    proto::Output out;
    session.on_data(std::as_bytes(std::span(chunk, static_cast<std::size_t>(n))), out);
    if (!broken::send_all(fd, out.bytes.data(), out.bytes.size()) || out.close_after) return;
  }
}

void worker(int listener, bool line) {
  for (;;) {
    const int client = broken::accept_client(listener);
    if (line) {
      serve_lines(client);
    } else {
      broken::echo_until_eof(client);
    }
    ::close(client);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  const bool line = args.service == "line";
  std::vector<std::jthread> pool;
  for (int i = 0; i < kThreads; ++i) pool.emplace_back(worker, listener, line);
}
