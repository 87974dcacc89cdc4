// IP_RECVERR setup and MSG_ERRQUEUE reading over the sys seam.
#include "targets/client/icmp_errors.hpp"

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "targets/net/sys.hpp"

namespace sockspec::client {

net::Status enable_icmp_errors(const net::Socket& socket, int family) {
  const int on = 1;
  const int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const int name = family == AF_INET6 ? IPV6_RECVERR : IP_RECVERR;
  if (net::sys::ops().setsockopt(socket.fd(), level, name, &on, sizeof on) != 0) {
    return net::errno_error(
        errno, family == AF_INET6 ? "setsockopt IPV6_RECVERR" : "setsockopt IP_RECVERR");
  }
  return {};
}

net::Result<std::optional<IcmpError>> read_icmp_error(const net::Socket& socket) {
  sockaddr_storage target{};
  // The extended error, then the reporter's address (SO_EE_OFFENDER), unused here.
  alignas(
      cmsghdr) unsigned char control[CMSG_SPACE(sizeof(sock_extended_err) + sizeof(sockaddr_in6))];
  std::byte payload[64];  // the head of the datagram that caused the error: not needed
  iovec iov{payload, sizeof payload};
  msghdr msg{};
  msg.msg_name = &target;
  msg.msg_namelen = sizeof target;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = -1;
  do {
    n = net::sys::ops().recvmsg(socket.fd(), &msg, MSG_ERRQUEUE);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<IcmpError>();  // empty
    return net::errno_error(errno, "recvmsg MSG_ERRQUEUE");
  }
  IcmpError out;
  if (auto t = net::Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&target),
                                            msg.msg_namelen)) {
    out.target = *t;
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
    const bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
    if (!v4 && !v6) continue;
    sock_extended_err ee{};
    std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
    out.error = static_cast<int>(ee.ee_errno);
    out.from_icmp = ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6;
  }
  return std::optional<IcmpError>(std::move(out));
}

}  // namespace sockspec::client
