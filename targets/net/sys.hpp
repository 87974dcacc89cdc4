// The one seam through which sockspec makes socket, file and process system calls.
//
// Everything above targets/net calls sys::ops() instead of ::socket, ::send...; a unit test
// installs a ScopedOps whose members inject EINTR, short writes, EAGAIN, resets or EMFILE.
// The members return what the system call returns and leave errno set, exactly like libc.
// Replacing the table is not thread-safe: do it in single-threaded tests only.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <functional>

namespace sockspec::net::sys {

struct Ops {
  std::function<int(int domain, int type, int protocol)> socket;
  std::function<int(int fd, const sockaddr* addr, socklen_t len)> bind;
  std::function<int(int fd, int backlog)> listen;
  std::function<int(int fd, sockaddr* addr, socklen_t* len, int flags)> accept4;
  std::function<int(int fd, const sockaddr* addr, socklen_t len)> connect;
  std::function<ssize_t(int fd, void* buf, size_t len, int flags)> recv;
  std::function<ssize_t(int fd, const void* buf, size_t len, int flags)> send;
  std::function<ssize_t(int fd, msghdr* msg, int flags)> recvmsg;
  std::function<ssize_t(int fd, const msghdr* msg, int flags)> sendmsg;
  std::function<ssize_t(int fd, void* buf, size_t len)> read;
  std::function<ssize_t(int fd, const void* buf, size_t len)> write;
  std::function<int(int fd)> close;
  std::function<int(int fd, int how)> shutdown;
  std::function<int(int fd, int level, int name, const void* value, socklen_t len)> setsockopt;
  std::function<int(int fd, int level, int name, void* value, socklen_t* len)> getsockopt;
  std::function<int(int fd, sockaddr* addr, socklen_t* len)> getsockname;
  std::function<int(int fd, sockaddr* addr, socklen_t* len)> getpeername;
  std::function<int(pollfd* fds, nfds_t count, int timeout_ms)> poll;
  std::function<int(int fds[2], int flags)> pipe2;
  std::function<int(int fd, const sigset_t* mask, int flags)> signalfd;
  std::function<int(int flags)> epoll_create1;
  std::function<int(int epfd, int op, int fd, epoll_event* event)> epoll_ctl;
  std::function<int(int epfd, epoll_event* events, int max, int timeout_ms)> epoll_wait;
  std::function<pid_t()> fork;
  std::function<pid_t(pid_t pid, int* status, int options)> waitpid;
  std::function<int(pid_t pid, int sig)> kill;
  std::function<int(int fd, int cmd, int arg)> fcntl;
};

// The table in use. Never null.
[[nodiscard]] const Ops& ops();

// A table of the real system calls, for tests to copy and modify.
[[nodiscard]] Ops real_ops();

// Installs `replacement` for its lifetime, then restores what was there.
class ScopedOps {
 public:
  explicit ScopedOps(Ops replacement);
  ~ScopedOps();
  ScopedOps(const ScopedOps&) = delete;
  ScopedOps& operator=(const ScopedOps&) = delete;

 private:
  const Ops* previous_;
  Ops mine_;
};

}  // namespace sockspec::net::sys
