// Socket: a move-only owned socket with the few operations sockspec needs, each returning Status.
#pragma once

#include <chrono>
#include <utility>

#include "targets/net/endpoint.hpp"
#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::net {

class Socket {
 public:
  Socket() = default;
  explicit Socket(Fd fd) noexcept : fd_(std::move(fd)) {}

  // New close-on-exec sockets of the given family (AF_INET, AF_INET6).
  [[nodiscard]] static Result<Socket> tcp(int family);
  [[nodiscard]] static Result<Socket> udp(int family);

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] bool valid() const noexcept { return fd_.valid(); }
  [[nodiscard]] int release() noexcept { return fd_.release(); }

  // Errors name the call and the address: "bind 127.0.0.1:80: Address already in use (...)".
  Status bind(const Endpoint& where);
  Status listen(int backlog);
  // Blocking connect; EINTR is handled by waiting for the connection to complete.
  Status connect(const Endpoint& peer);
  Status set_nonblocking(bool on);
  // TCP servers only: lets a restarted server bind while old connections sit in TIME_WAIT
  // (EPH-3). Never used on UDP, where it would let two servers share a port (EPH-4).
  Status set_reuse_address();
  // IPv6 sockets serve IPv6 only, so "::" and "0.0.0.0" can be bound side by side.
  Status set_ipv6_only();
  // close() then sends RST instead of FIN (SO_LINGER with a zero timeout).
  Status set_linger_zero();
  Status set_receive_buffer(int bytes);
  Status shutdown_write();
  // shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR.
  Status shutdown(int how);
  // TCP: send each write at once (TCP_NODELAY), so a test's segments reach the wire as written.
  Status set_no_delay();
  // TCP: hold partial segments in the kernel until uncorked or shutdown(SHUT_WR), which sends
  // the last one with the FIN (TCP_CORK).
  Status set_cork(bool on);
  // Non-blocking connect bounded by `timeout`; the socket is left non-blocking. Errors name the
  // peer: "connect 127.0.0.1:9: Connection refused (ECONNREFUSED)", "...: timed out after 2000 ms".
  Status connect_within(const Endpoint& peer, std::chrono::milliseconds timeout);

  [[nodiscard]] Result<Endpoint> local_endpoint() const;
  [[nodiscard]] Result<Endpoint> peer_endpoint() const;

 private:
  Fd fd_;
};

}  // namespace sockspec::net
