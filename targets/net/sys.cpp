// The real system calls behind the sys::ops() seam: the only file that calls them directly.
#include "targets/net/sys.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>

namespace sockspec::net::sys {
namespace {

const Ops& real_table() {
  static const Ops table = real_ops();
  return table;
}

std::atomic<const Ops*> current{nullptr};

}  // namespace

Ops real_ops() {
  Ops o;
  o.socket = [](int d, int t, int p) { return ::socket(d, t, p); };
  o.bind = [](int fd, const sockaddr* a, socklen_t l) { return ::bind(fd, a, l); };
  o.listen = [](int fd, int backlog) { return ::listen(fd, backlog); };
  o.accept4 = [](int fd, sockaddr* a, socklen_t* l, int f) { return ::accept4(fd, a, l, f); };
  o.connect = [](int fd, const sockaddr* a, socklen_t l) { return ::connect(fd, a, l); };
  o.recv = [](int fd, void* b, size_t n, int f) { return ::recv(fd, b, n, f); };
  o.send = [](int fd, const void* b, size_t n, int f) { return ::send(fd, b, n, f); };
  o.recvmsg = [](int fd, msghdr* m, int f) { return ::recvmsg(fd, m, f); };
  o.sendmsg = [](int fd, const msghdr* m, int f) { return ::sendmsg(fd, m, f); };
  o.read = [](int fd, void* b, size_t n) { return ::read(fd, b, n); };
  o.write = [](int fd, const void* b, size_t n) { return ::write(fd, b, n); };
  o.close = [](int fd) { return ::close(fd); };
  o.shutdown = [](int fd, int how) { return ::shutdown(fd, how); };
  o.setsockopt = [](int fd, int lv, int nm, const void* v, socklen_t l) {
    return ::setsockopt(fd, lv, nm, v, l);
  };
  o.getsockopt = [](int fd, int lv, int nm, void* v, socklen_t* l) {
    return ::getsockopt(fd, lv, nm, v, l);
  };
  o.getsockname = [](int fd, sockaddr* a, socklen_t* l) { return ::getsockname(fd, a, l); };
  o.getpeername = [](int fd, sockaddr* a, socklen_t* l) { return ::getpeername(fd, a, l); };
  o.poll = [](pollfd* fds, nfds_t n, int t) { return ::poll(fds, n, t); };
  o.pipe2 = [](int fds[2], int f) { return ::pipe2(fds, f); };
  o.signalfd = [](int fd, const sigset_t* m, int f) { return ::signalfd(fd, m, f); };
  o.epoll_create1 = [](int f) { return ::epoll_create1(f); };
  o.epoll_ctl = [](int ep, int op, int fd, epoll_event* e) { return ::epoll_ctl(ep, op, fd, e); };
  o.epoll_wait = [](int ep, epoll_event* e, int m, int t) { return ::epoll_wait(ep, e, m, t); };
  o.fork = [] { return ::fork(); };
  o.waitpid = [](pid_t p, int* s, int o2) { return ::waitpid(p, s, o2); };
  o.kill = [](pid_t p, int s) { return ::kill(p, s); };
  o.fcntl = [](int fd, int cmd, int arg) { return ::fcntl(fd, cmd, arg); };
  return o;
}

const Ops& ops() {
  const Ops* table = current.load(std::memory_order_acquire);
  return table ? *table : real_table();
}

ScopedOps::ScopedOps(Ops replacement)
    : previous_(current.load(std::memory_order_acquire)), mine_(std::move(replacement)) {
  current.store(&mine_, std::memory_order_release);
}

ScopedOps::~ScopedOps() {
  current.store(previous_, std::memory_order_release);
}

}  // namespace sockspec::net::sys
