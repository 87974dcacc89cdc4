// accept4() and its errno classification (after muduo's sockets::accept and Acceptor.cc).
#include "targets/net/acceptor.hpp"

#include <sys/epoll.h>

#include <cerrno>

#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

// One descriptor, taken with one slot: after the EMFILE dance only the slot of the dropped
// client is free, and a pipe (two slots) could not be made there, losing the spare for good.
Fd open_spare() {
  return Fd(sys::ops().epoll_create1(EPOLL_CLOEXEC));
}

}  // namespace

Acceptor::Acceptor(Socket listener) : listener_(std::move(listener)), spare_(open_spare()) {}

Result<std::optional<Accepted>> Acceptor::accept(bool nonblocking) {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  const int flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  const int fd =
      sys::ops().accept4(listener_.fd(), reinterpret_cast<sockaddr*>(&storage), &len, flags);
  if (fd >= 0) {
    Socket socket{Fd(fd)};
    auto peer = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), len);
    if (!peer) return peer.error();
    return std::optional<Accepted>(Accepted{std::move(socket), std::move(*peer)});
  }
  switch (errno) {
    // Nothing pending, a signal, or a client that connected and reset before we got to it
    // (man 2 accept: "pending network errors ... should be treated like EAGAIN").
    case EAGAIN:
#if EAGAIN != EWOULDBLOCK
    case EWOULDBLOCK:
#endif
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
    case EPERM:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
      return std::optional<Accepted>();
    // Out of descriptors: the pending connection would make the listener readable forever
    // (a busy loop). Free the spare, accept and close that one client, take the spare back.
    case EMFILE:
    case ENFILE: {
      spare_.reset();
      Fd doomed(sys::ops().accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC));
      doomed.reset();
      spare_ = open_spare();
      return std::optional<Accepted>();
    }
    default:  // EBADF, EFAULT, EINVAL, ENOTSOCK, ENOMEM, ENOBUFS: not a client's doing
      return errno_error(errno, "accept");
  }
}

}  // namespace sockspec::net
