// Breaks STR-6: an epoll loop that keeps a half-closed socket armed for reading.
//
// On recv() == 0 the loop keeps the connection "for the replies still to come", which is right,
// but leaves it in the level-triggered epoll set with EPOLLIN: an EOF is always readable, so
// epoll_wait() returns at once, forever. One client that said "done" burns a whole core until it
// is gone. The fix: EPOLL_CTL_MOD without EPOLLIN (or close once the replies are out).
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  const int ep = epoll_watching(listener);
  print_ready("tcp", listener);
  epoll_event ready[64];
  char buf[16384];
  for (;;) {
    const int n = ::epoll_wait(ep, ready, 64, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = ready[i].data.fd;
      if (fd == listener) {
        const int client = accept_client(listener);
        epoll_watch(ep, EPOLL_CTL_ADD, client, EPOLLIN);
        continue;
      }
      const ssize_t got = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (got == 0) continue;  // the bug: keeps the socket, and EPOLLIN, after the client's EOF
      if (got < 0) {
        if (errno != EAGAIN && errno != EINTR) ::close(fd);
        continue;
      }
      if (!send_all(fd, buf, static_cast<std::size_t>(got))) ::close(fd);
    }
  }
}
