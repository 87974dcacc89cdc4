// Breaks STR-7: an epoll echo server that keeps reading while it cannot write, and queues it all.
//
// Each connection has an output buffer; the loop always watches EPOLLIN, reads whatever comes,
// appends it to the buffer and writes what the socket takes. When the client stops reading, the
// writes stop but the reads do not: every byte the client sends ends up in the server's memory.
// The fix is to stop watching EPOLLIN while the buffer is above a limit (back-pressure).
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <map>
#include <string>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  const int ep = epoll_watching(listener);
  print_ready("tcp", listener);
  std::map<int, std::string> pending;  // per connection: bytes not yet written
  epoll_event ready[64];
  char buf[65536];
  for (;;) {
    const int n = ::epoll_wait(ep, ready, 64, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = ready[i].data.fd;
      if (fd == listener) {
        const int client = accept_client(listener);
        // the bug: EPOLLIN stays on, whatever is queued
        epoll_watch(ep, EPOLL_CTL_ADD, client, EPOLLIN | EPOLLOUT);
        continue;
      }
      std::string& out = pending[fd];
      bool closed = false;
      if (ready[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        const ssize_t got = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (got > 0) out.append(buf, static_cast<std::size_t>(got));
        closed = got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR);
      }
      while (!out.empty() && !closed) {
        const ssize_t sent = ::send(fd, out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent <= 0) break;
        out.erase(0, static_cast<std::size_t>(sent));
      }
      if (closed) {
        pending.erase(fd);
        ::close(fd);
      }
    }
  }
}
