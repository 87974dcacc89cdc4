// recvmsg/sendmsg with IP_PKTINFO / IPV6_PKTINFO control messages.
#include "targets/net/datagram.hpp"

#include <fmt/core.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

constexpr std::size_t kControlSize = CMSG_SPACE(sizeof(in6_pktinfo)) >
                                             CMSG_SPACE(sizeof(in_pktinfo))
                                         ? CMSG_SPACE(sizeof(in6_pktinfo))
                                         : CMSG_SPACE(sizeof(in_pktinfo));

// Fills `d.local` from the control messages of a received datagram.
void read_destination(msghdr& msg, Datagram& d) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      sockaddr_in sin{};
      sin.sin_family = AF_INET;
      sin.sin_addr = info.ipi_addr;  // the header's destination address
      auto e = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&sin), sizeof sin);
      if (e) d.local = *e;
      d.interface_index = info.ipi_ifindex;
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      sockaddr_in6 sin6{};
      sin6.sin6_family = AF_INET6;
      sin6.sin6_addr = info.ipi6_addr;
      auto e = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&sin6), sizeof sin6);
      if (e) d.local = *e;
      d.interface_index = static_cast<int>(info.ipi6_ifindex);
    }
  }
}

}  // namespace

Status enable_destination_info(const Socket& socket, int family) {
  const int on = 1;
  const int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const int name = family == AF_INET6 ? IPV6_RECVPKTINFO : IP_PKTINFO;
  if (sys::ops().setsockopt(socket.fd(), level, name, &on, sizeof on) != 0) {
    return errno_error(
        errno, family == AF_INET6 ? "setsockopt IPV6_RECVPKTINFO" : "setsockopt IP_PKTINFO");
  }
  return {};
}

Result<std::optional<Datagram>> receive_datagram(const Socket& socket, std::size_t buffer_size) {
  Datagram d;
  d.payload.resize(buffer_size);
  sockaddr_storage peer{};
  alignas(cmsghdr) unsigned char control[kControlSize];
  iovec iov{d.payload.data(), d.payload.size()};
  msghdr msg{};
  msg.msg_name = &peer;
  msg.msg_namelen = sizeof peer;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = -1;
  for (;;) {
    n = sys::ops().recvmsg(socket.fd(), &msg, 0);
    if (n >= 0 || errno != EINTR) break;
  }
  if (n < 0) {
    switch (errno) {
      case EAGAIN:
#if EAGAIN != EWOULDBLOCK
      case EWOULDBLOCK:
#endif
      // An ICMP error for an earlier reply (DGR-6): not this datagram's business.
      case ECONNREFUSED:
      case EHOSTUNREACH:
      case ENETUNREACH:
        return std::optional<Datagram>();
      default:
        return errno_error(errno, "recvmsg");
    }
  }
  d.truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  d.payload.resize(static_cast<std::size_t>(n));
  auto from = Endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&peer), msg.msg_namelen);
  if (!from) return from.error();
  d.peer = *from;
  read_destination(msg, d);
  return std::optional<Datagram>(std::move(d));
}

Status send_reply(const Socket& socket, std::span<const std::byte> payload,
                  const Datagram& request) {
  iovec iov{const_cast<std::byte*>(payload.data()), payload.size()};
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr*>(request.peer.sockaddr_ptr());
  msg.msg_namelen = request.peer.size();
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) unsigned char control[kControlSize] = {};
  if (request.local) {
    msg.msg_control = control;
    cmsghdr* c = reinterpret_cast<cmsghdr*>(control);
    if (request.local->is_ipv6()) {
      in6_pktinfo info{};
      info.ipi6_addr =
          reinterpret_cast<const sockaddr_in6*>(request.local->sockaddr_ptr())->sin6_addr;
      // As over IPv4, interface 0 lets routing choose, except for a link-local source, which
      // needs its own. Forcing the arrival interface breaks local traffic: a datagram from ::1
      // to an address of eth0 arrives with eth0's index, and a reply to ::1 sent out of eth0
      // is dropped.
      if (IN6_IS_ADDR_LINKLOCAL(&info.ipi6_addr)) {
        info.ipi6_ifindex = static_cast<unsigned>(request.interface_index);
      }
      c->cmsg_level = IPPROTO_IPV6;
      c->cmsg_type = IPV6_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof info);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      msg.msg_controllen = CMSG_SPACE(sizeof info);
    } else {
      in_pktinfo info{};
      // ipi_spec_dst picks the source address; ifindex 0 lets routing choose the interface.
      info.ipi_spec_dst =
          reinterpret_cast<const sockaddr_in*>(request.local->sockaddr_ptr())->sin_addr;
      c->cmsg_level = IPPROTO_IP;
      c->cmsg_type = IP_PKTINFO;
      c->cmsg_len = CMSG_LEN(sizeof info);
      std::memcpy(CMSG_DATA(c), &info, sizeof info);
      msg.msg_controllen = CMSG_SPACE(sizeof info);
    }
  }
  for (;;) {
    if (sys::ops().sendmsg(socket.fd(), &msg, 0) >= 0) return {};
    if (errno != EINTR) break;
  }
  return errno_error(errno, fmt::format("sendmsg to {}", request.peer.to_string()));
}

Status send_datagram(const Socket& socket, std::span<const std::byte> payload,
                     const Endpoint& peer) {
  iovec iov{const_cast<std::byte*>(payload.data()), payload.size()};
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr*>(peer.sockaddr_ptr());
  msg.msg_namelen = peer.size();
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  for (;;) {
    if (sys::ops().sendmsg(socket.fd(), &msg, 0) >= 0) return {};
    if (errno != EINTR) break;
  }
  return errno_error(errno, fmt::format("sendto {}", peer.to_string()));
}

}  // namespace sockspec::net
