// Socket operations over the sys seam; every failure carries the call and the address.
#include "targets/net/socket.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include <cerrno>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

Result<Socket> make(int family, int type, std::string_view what) {
  const int fd = sys::ops().socket(family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_error(errno, fmt::format("socket({})", what));
  return Socket(Fd(fd));
}

Status set_int_option(int fd, int level, int name, int value, std::string_view what) {
  if (sys::ops().setsockopt(fd, level, name, &value, sizeof value) != 0) {
    return errno_error(errno, fmt::format("setsockopt {}", what));
  }
  return {};
}

using NameCall = std::function<int(int, sockaddr*, socklen_t*)>;

Result<Endpoint> query_name(int fd, const NameCall& call, std::string_view what) {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  if (call(fd, reinterpret_cast<sockaddr*>(&storage), &len) != 0) {
    return errno_error(errno, what);
  }
  return Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), len);
}

}  // namespace

Result<Socket> Socket::tcp(int family) {
  return make(family, SOCK_STREAM, "tcp");
}
Result<Socket> Socket::udp(int family) {
  return make(family, SOCK_DGRAM, "udp");
}

Status Socket::bind(const Endpoint& where) {
  if (sys::ops().bind(fd(), where.sockaddr_ptr(), where.size()) != 0) {
    return errno_error(errno, fmt::format("bind {}", where.to_string()));
  }
  return {};
}

Status Socket::listen(int backlog) {
  if (sys::ops().listen(fd(), backlog) != 0) return errno_error(errno, "listen");
  return {};
}

Status Socket::connect(const Endpoint& peer) {
  if (sys::ops().connect(fd(), peer.sockaddr_ptr(), peer.size()) == 0) return {};
  int err = errno;
  if (err == EINTR || err == EINPROGRESS) {
    // The connection attempt goes on in the kernel (man 2 connect, EINTR/EINPROGRESS):
    // wait for it, then read its outcome from SO_ERROR.
    pollfd p{fd(), POLLOUT, 0};
    while (sys::ops().poll(&p, 1, -1) < 0) {
      if (errno != EINTR) return errno_error(errno, "poll");
    }
    socklen_t len = sizeof err;
    if (sys::ops().getsockopt(fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err == 0) return {};
  }
  return errno_error(err, fmt::format("connect {}", peer.to_string()));
}

Status Socket::set_nonblocking(bool on) {
  const int flags = sys::ops().fcntl(fd(), F_GETFL, 0);
  if (flags < 0) return errno_error(errno, "fcntl F_GETFL");
  const int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (sys::ops().fcntl(fd(), F_SETFL, wanted) != 0) return errno_error(errno, "fcntl F_SETFL");
  return {};
}

Status Socket::set_reuse_address() {
  return set_int_option(fd(), SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
}

Status Socket::set_ipv6_only() {
  return set_int_option(fd(), IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
}

Status Socket::set_linger_zero() {
  const linger value{1, 0};
  if (sys::ops().setsockopt(fd(), SOL_SOCKET, SO_LINGER, &value, sizeof value) != 0) {
    return errno_error(errno, "setsockopt SO_LINGER");
  }
  return {};
}

Status Socket::set_receive_buffer(int bytes) {
  return set_int_option(fd(), SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF");
}

Status Socket::shutdown_write() {
  if (sys::ops().shutdown(fd(), SHUT_WR) != 0) return errno_error(errno, "shutdown(SHUT_WR)");
  return {};
}

Status Socket::shutdown(int how) {
  if (sys::ops().shutdown(fd(), how) != 0) {
    return errno_error(errno, fmt::format("shutdown({})", how == SHUT_RD   ? "SHUT_RD"
                                                          : how == SHUT_WR ? "SHUT_WR"
                                                                           : "SHUT_RDWR"));
  }
  return {};
}

Status Socket::set_no_delay() {
  return set_int_option(fd(), IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
}

Status Socket::set_cork(bool on) {
  return set_int_option(fd(), IPPROTO_TCP, TCP_CORK, on ? 1 : 0, "TCP_CORK");
}

Status Socket::connect_within(const Endpoint& peer, std::chrono::milliseconds timeout) {
  const std::string what = fmt::format("connect {}", peer.to_string());
  if (Status s = set_nonblocking(true); !s) return s;
  if (sys::ops().connect(fd(), peer.sockaddr_ptr(), peer.size()) == 0) return {};
  // EINPROGRESS: the handshake goes on; EINTR: it goes on too (connect(2)). Anything else failed.
  if (errno != EINPROGRESS && errno != EINTR) return errno_error(errno, what);
  const WaitResult w = wait_for(fd(), POLLOUT, -1, timeout);
  if (w.outcome == WaitOutcome::kTimeout) {
    return Error{fmt::format("{}: timed out after {} ms", what, timeout.count()), ETIMEDOUT};
  }
  if (w.outcome != WaitOutcome::kReady) return errno_error(w.error, what);
  int error = 0;
  socklen_t len = sizeof error;
  if (sys::ops().getsockopt(fd(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) {
    return errno_error(errno, what);
  }
  if (error != 0) return errno_error(error, what);
  return {};
}

Result<Endpoint> Socket::local_endpoint() const {
  return query_name(fd(), sys::ops().getsockname, "getsockname");
}

Result<Endpoint> Socket::peer_endpoint() const {
  return query_name(fd(), sys::ops().getpeername, "getpeername");
}

}  // namespace sockspec::net
