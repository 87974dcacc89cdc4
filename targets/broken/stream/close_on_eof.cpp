// Breaks STR-3: an event loop that closes on the client's EOF, dropping the echo it still owes.
//
// A single-threaded epoll echo server with a per-connection output buffer (what it could not
// write yet). Its read handler does what countless event-loop examples do: "recv() == 0: the
// client is gone, close." But a client that half-closed (shutdown(SHUT_WR)) is still reading:
// whatever sits in the output buffer at that moment is lost, and the client sees EOF early.
// Clients that read their echo before closing never notice.
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <unordered_map>

#include "targets/broken/support/support.hpp"

namespace {

constexpr std::size_t kHighWater = 4 * 1024 * 1024;  // stop reading while this much is owed
std::unordered_map<int, std::string> owed;           // fd -> echo not written yet
int epfd = -1;

void drop(int fd) {
  ::epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nullptr);
  owed.erase(fd);
  ::close(fd);
}

// Writes what it can; false if the connection failed.
bool flush(int fd, std::string& out) {
  while (!out.empty()) {
    const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    out.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

void on_client(int fd) {
  std::string& out = owed[fd];
  if (!flush(fd, out)) return drop(fd);
  char buf[65536];
  while (out.size() < kHighWater) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0)
      return drop(fd);  // the bug: closes with `out` unsent; should close once it is empty
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    if (n < 0) return drop(fd);
    out.append(buf, static_cast<std::size_t>(n));
  }
  if (!flush(fd, out)) return drop(fd);
  sockspec::broken::epoll_watch(
      epfd, EPOLL_CTL_MOD, fd,
      (out.size() < kHighWater ? EPOLLIN : 0u) | (out.empty() ? 0u : EPOLLOUT));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  ::fcntl(listener, F_SETFL, O_NONBLOCK);
  epfd = epoll_watching(listener);
  print_ready("tcp", listener);
  for (;;) {
    epoll_event events[64];
    const int n = ::epoll_wait(epfd, events, 64, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd != listener) {
        on_client(fd);
        continue;
      }
      const int client = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (client < 0) continue;  // EAGAIN, ECONNABORTED...
      epoll_watch(epfd, EPOLL_CTL_ADD, client, EPOLLIN);
    }
  }
}
