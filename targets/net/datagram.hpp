// Datagram receive and reply that keep track of the address a request was sent to, so that a
// server bound to a wildcard answers from that same address (DGR-2, RFC 1122 4.1.3.5).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::net {

// The largest UDP payload over IPv6 (65535 - 8); over IPv4 it is 65507.
inline constexpr std::size_t kMaxDatagram = 65527;

struct Datagram {
  std::vector<std::byte> payload;
  Endpoint peer;                  // where it came from: the reply goes here (DGR-1)
  std::optional<Endpoint> local;  // where it was sent to (IP_PKTINFO), port 0
  int interface_index = 0;
  bool truncated = false;  // larger than the buffer given (cannot happen with kMaxDatagram)
};

// Asks the kernel to report each datagram's destination address (IP_PKTINFO, IPV6_RECVPKTINFO).
Status enable_destination_info(const Socket& socket, int family);

// One recvmsg(); std::nullopt when nothing is waiting (EAGAIN) or for a transient error the
// server should shrug off (EINTR is retried; ECONNREFUSED from an earlier ICMP error is
// dropped). `buffer_size` bounds the payload.
[[nodiscard]] Result<std::optional<Datagram>> receive_datagram(
    const Socket& socket, std::size_t buffer_size = kMaxDatagram);

// Sends `payload` to `request.peer`, from `request.local` when known (sendmsg with a pktinfo
// control message). A full send buffer or an unreachable peer drops the datagram as UDP may:
// that is reported as an Error for logging, and the server carries on.
Status send_reply(const Socket& socket, std::span<const std::byte> payload,
                  const Datagram& request);

// Plain sendto() to `peer` (clients).
Status send_datagram(const Socket& socket, std::span<const std::byte> payload,
                     const Endpoint& peer);

}  // namespace sockspec::net
