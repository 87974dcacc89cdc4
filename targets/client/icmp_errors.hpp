// ICMP errors on an unconnected UDP socket (IP_RECVERR / IPV6_RECVERR), so that a client can
// tell "nothing listens on that port" from "no answer yet".
//
// Linux reports ICMP errors to a UDP socket only when it is connected, or when IP_RECVERR is
// on: then each error is queued with the destination of the datagram that caused it, poll()
// reports POLLERR, and recvmsg(MSG_ERRQUEUE) reads it (man 7 ip, IP_RECVERR; man 7 udp).
// net has no wrapper for this yet; it goes through the sys seam like everything else.
#pragma once

#include <optional>

#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::client {

// Turns on the error queue for `socket` of the given family (AF_INET or AF_INET6).
net::Status enable_icmp_errors(const net::Socket& socket, int family);

struct IcmpError {
  int error = 0;           // what the kernel made of it: ECONNREFUSED for port unreachable
  bool from_icmp = false;  // an ICMP/ICMPv6 message, not a local error such as EMSGSIZE
  net::Endpoint target;    // where the datagram that caused it was sent
};

// Reads one queued error without blocking; std::nullopt when the queue is empty. Local errors
// (EMSGSIZE...) are returned too, with `from_icmp` false.
[[nodiscard]] net::Result<std::optional<IcmpError>> read_icmp_error(const net::Socket& socket);

}  // namespace sockspec::client
