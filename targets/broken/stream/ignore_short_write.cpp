// Breaks STR-4: ignores the count send() returns on a non-blocking socket.
//
// An epoll echo server (non-blocking sockets, as epoll examples make them) that writes each chunk
// it reads with one send() and moves on. On a non-blocking socket send() writes only what fits
// in the send buffer: a short count, or -1 with EAGAIN when it is full. The rest is silently
// dropped. Fast readers never fill the buffer and see a perfect echo; a client that pauses its
// reading loses bytes from the middle of the stream.
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  ::fcntl(listener, F_SETFL, O_NONBLOCK);
  const int epfd = epoll_watching(listener);
  print_ready("tcp", listener);
  for (;;) {
    epoll_event events[64];
    const int n = ::epoll_wait(epfd, events, 64, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listener) {
        const int client = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (client < 0) continue;  // EAGAIN, ECONNABORTED...
        epoll_watch(epfd, EPOLL_CTL_ADD, client, EPOLLIN);
        continue;
      }
      char buf[65536];
      const ssize_t got = ::recv(fd, buf, sizeof buf, 0);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) {
        ::epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        continue;
      }
      // the bug: the count send() returns is not looked at; what did not fit is dropped
      ::send(fd, buf, static_cast<std::size_t>(got), MSG_NOSIGNAL);
    }
  }
}
