// Tests of receive_datagram/send_reply/send_datagram over real UDP sockets on loopback, and of
// their errno handling with injected faults. DGR-2: a wildcard server answers from the address
// it was asked on.
#include "targets/net/datagram.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::net {

namespace {

using sockspec::testing::IsOk;
using std::chrono::milliseconds;

constexpr milliseconds kBound{5000};  // a bound on every wait that should end at once

Endpoint endpoint(const char* host, std::uint16_t port) {
  auto e = Endpoint::from_host(host, port);
  EXPECT_THAT(e, IsOk());
  return e.ok() ? *e : Endpoint();
}

// A non-blocking UDP socket bound to host:0 (IPv6 sockets are IPv6-only).
Socket udp_on(const char* host, bool destination_info) {
  const Endpoint where = endpoint(host, 0);
  auto s = Socket::udp(where.family());
  EXPECT_THAT(s, IsOk());
  if (!s.ok()) return {};
  if (where.is_ipv6()) {
    EXPECT_TRUE(s->set_ipv6_only().ok());
  }
  EXPECT_TRUE(s->set_nonblocking(true).ok());
  const Status bound = s->bind(where);
  EXPECT_THAT(bound, IsOk());
  if (destination_info) {
    const Status enabled = enable_destination_info(*s, where.family());
    EXPECT_THAT(enabled, IsOk());
  }
  return std::move(*s);
}

Endpoint local_of(const Socket& s) {
  auto e = s.local_endpoint();
  EXPECT_THAT(e, IsOk());
  return e.ok() ? *e : Endpoint();
}

std::vector<std::byte> bytes(std::string_view text) {
  const auto b = std::as_bytes(std::span(text));
  return {b.begin(), b.end()};
}

std::vector<std::byte> pattern(std::size_t size) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::byte>(i * 31 % 253);
  return out;
}

// Waits (bounded) for one datagram on `s` and receives it.
std::optional<Datagram> receive_one(const Socket& s, std::size_t buffer = kMaxDatagram) {
  const WaitResult w = wait_for(s.fd(), POLLIN, -1, kBound);
  EXPECT_EQ(w.outcome, WaitOutcome::kReady) << "no datagram within the bound";
  if (w.outcome != WaitOutcome::kReady) return std::nullopt;
  auto d = receive_datagram(s, buffer);
  EXPECT_THAT(d, IsOk());
  if (!d.ok()) return std::nullopt;
  EXPECT_TRUE(d->has_value());
  return std::move(*d);
}

void send_to(const Socket& s, std::span<const std::byte> payload, const Endpoint& to) {
  const Status sent = send_datagram(s, payload, to);
  EXPECT_THAT(sent, IsOk());
}

TEST(ReceiveDatagram, GivesPayloadPeerAndDestination) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    const Socket server = udp_on(host, true);
    const Socket client = udp_on(host, false);
    send_to(client, bytes("ping"), local_of(server));
    const auto d = receive_one(server);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->payload, bytes("ping"));
    EXPECT_EQ(d->peer, local_of(client));
    ASSERT_TRUE(d->local.has_value());
    EXPECT_EQ(*d->local, endpoint(host, 0));
    EXPECT_EQ(d->interface_index, static_cast<int>(::if_nametoindex("lo")));
    EXPECT_FALSE(d->truncated);
  }
}

TEST(ReceiveDatagram, NoDestinationUnlessEnabled) {
  const Socket server = udp_on("127.0.0.1", false);
  const Socket client = udp_on("127.0.0.1", false);
  send_to(client, bytes("x"), local_of(server));
  const auto d = receive_one(server);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->local.has_value());
  EXPECT_EQ(d->interface_index, 0);
}

TEST(ReceiveDatagram, KeepsDatagramBoundaries) {
  const Socket server = udp_on("127.0.0.1", true);
  const Socket client = udp_on("127.0.0.1", false);
  send_to(client, bytes("one"), local_of(server));
  send_to(client, bytes("second"), local_of(server));
  const auto first = receive_one(server);
  const auto second = receive_one(server);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->payload, bytes("one"));
  EXPECT_EQ(second->payload, bytes("second"));
}

TEST(ReceiveDatagram, MarksTruncation) {
  const Socket server = udp_on("127.0.0.1", true);
  const Socket client = udp_on("127.0.0.1", false);
  send_to(client, bytes("0123456789"), local_of(server));
  const auto d = receive_one(server, 4);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->truncated);
  EXPECT_EQ(d->payload, bytes("0123"));
}

TEST(ReceiveDatagram, NothingWaitingIsNullopt) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    const Socket server = udp_on(host, true);
    auto d = receive_datagram(server);
    ASSERT_THAT(d, IsOk());
    EXPECT_FALSE(d->has_value());
  }
}

TEST(SendReply, RoundTripsEmptyAndLargestDatagrams) {
  struct Case {
    const char* host;
    std::size_t size;
  };
  // DGR-7: 0 bytes, and the largest UDP payloads (65535 - 20 - 8 over IPv4, 65535 - 8 over IPv6).
  const Case cases[] = {{"127.0.0.1", 0}, {"::1", 0}, {"127.0.0.1", 65507}, {"::1", 65527}};
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.host << " " << c.size << " bytes");
    const Socket server = udp_on(c.host, true);
    const Socket client = udp_on(c.host, false);
    const std::vector<std::byte> payload = pattern(c.size);
    send_to(client, payload, local_of(server));
    const auto request = receive_one(server);
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(request->payload.size(), c.size);
    EXPECT_TRUE(request->payload == payload);
    EXPECT_FALSE(request->truncated);
    const Status replied = send_reply(server, request->payload, *request);
    ASSERT_THAT(replied, IsOk());
    const auto reply = receive_one(client);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->payload.size(), c.size);
    EXPECT_TRUE(reply->payload == payload);
    EXPECT_EQ(reply->peer, local_of(server));
  }
}

TEST(SendDatagram, OneByteOverTheLargestIsEmsgsize) {
  for (const auto& [host, size] : {std::pair{"127.0.0.1", 65508}, std::pair{"::1", 65528}}) {
    SCOPED_TRACE(host);
    const Socket server = udp_on(host, true);
    const Socket client = udp_on(host, false);
    const Status sent =
        send_datagram(client, pattern(static_cast<std::size_t>(size)), local_of(server));
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().message,
              "sendto " + local_of(server).to_string() + ": Message too long (EMSGSIZE)");
    EXPECT_EQ(sent.error().code, EMSGSIZE);
  }
}

struct ReplyCase {
  const char* server;  // the address the server binds (port 0)
  const char* client;  // the address the client binds (port 0)
  const char* asked;   // the address the client sends to
};

// Sends from `c.client` to `c.asked` at the server's port; the reply, made with send_reply, must
// come from `c.asked` and that port (DGR-2). Without the destination (`forget_local`), from
// wherever the routing table says.
Endpoint reply_source(const ReplyCase& c, bool forget_local) {
  const Socket server = udp_on(c.server, true);
  const Socket client = udp_on(c.client, false);
  const Endpoint asked = endpoint(c.asked, local_of(server).port());
  send_to(client, bytes("WHO"), asked);
  auto request = receive_one(server);
  if (!request) return {};
  if (!local_of(client).is_wildcard()) {
    EXPECT_EQ(request->peer, local_of(client));
  }
  EXPECT_TRUE(request->local.has_value());
  if (request->local) {
    EXPECT_EQ(*request->local, asked.with_port(0));
  }
  if (forget_local) request->local.reset();
  const Status replied = send_reply(server, bytes("AMI"), *request);
  EXPECT_THAT(replied, IsOk());
  const auto reply = receive_one(client);
  if (!reply) return {};
  EXPECT_EQ(reply->payload, bytes("AMI"));
  return reply->peer;
}

TEST(SendReply, AnswersFromTheAddressItWasAskedOn) {
  const ReplyCase cases[] = {
      {"0.0.0.0", "127.0.0.1", "127.0.0.1"},
      {"0.0.0.0", "127.0.0.1", "127.0.0.2"},
      {"0.0.0.0", "127.0.0.3", "127.0.0.2"},
      {"127.0.0.2", "127.0.0.1", "127.0.0.2"},
      {"::", "::1", "::1"},
  };
  for (const ReplyCase& c : cases) {
    SCOPED_TRACE(::testing::Message()
                 << "server " << c.server << ", client " << c.client << ", asked " << c.asked);
    const Endpoint source = reply_source(c, false);
    EXPECT_EQ(source.host(), c.asked);
  }
}

TEST(SendReply, WithoutTheDestinationAWildcardServerAnswersFromTheWrongAddress) {
  // The control for the test above: proves that on this machine the check has teeth.
  const Endpoint source = reply_source({"0.0.0.0", "127.0.0.1", "127.0.0.2"}, true);
  EXPECT_EQ(source.host(), "127.0.0.1");
}

// A second local IPv6 address beside ::1 (global or unique-local, not link-local), if any.
std::optional<std::string> second_ipv6_address() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (const ifaddrs* i = list; i != nullptr && !found; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET6) continue;
    if ((i->ifa_flags & IFF_UP) == 0) continue;
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
    if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) || IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr)) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text) != nullptr) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

TEST(SendReply, AnswersFromASecondIpv6Address) {
  const auto second = second_ipv6_address();
  if (!second) GTEST_SKIP() << "no IPv6 address beside ::1 and link-local ones";
  SCOPED_TRACE(*second);
  const ReplyCase c{"::", "::1", second->c_str()};
  const ReplyCase u{"::", "::", second->c_str()};
  EXPECT_EQ(reply_source(u, false).host(), *second);
  EXPECT_EQ(reply_source(c, false).host(), *second);
  EXPECT_EQ(reply_source(c, true).host(), "::1") << "control: the check has teeth";
}

TEST(ReceiveDatagram, RetriesAnInterruption) {
  const Socket server = udp_on("127.0.0.1", true);
  const Socket client = udp_on("127.0.0.1", false);
  send_to(client, bytes("late"), local_of(server));
  ASSERT_EQ(wait_for(server.fd(), POLLIN, -1, kBound).outcome, WaitOutcome::kReady);
  int calls = 0;
  sys::Ops ops = sys::real_ops();
  const auto real_recvmsg = ops.recvmsg;
  ops.recvmsg = [&](int fd, msghdr* msg, int flags) -> ssize_t {
    if (++calls == 1) {
      errno = EINTR;
      return -1;
    }
    return real_recvmsg(fd, msg, flags);
  };
  const sys::ScopedOps scoped(ops);
  auto d = receive_datagram(server);
  ASSERT_THAT(d, IsOk());
  ASSERT_TRUE(d->has_value());
  EXPECT_EQ((*d)->payload, bytes("late"));
  EXPECT_EQ(calls, 2);
}

TEST(ReceiveDatagram, ClassifiesErrors) {
  const Socket server = udp_on("127.0.0.1", true);
  struct Case {
    int error;
    const char* message;  // nullptr: shrugged off as nullopt
  };
  const Case cases[] = {
      {EAGAIN, nullptr},
      {ECONNREFUSED, nullptr},
      {EHOSTUNREACH, nullptr},
      {ENETUNREACH, nullptr},
      {EBADF, "recvmsg: Bad file descriptor (EBADF)"},
      {ENOMEM, "recvmsg: Cannot allocate memory (ENOMEM)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(strerrorname_np(c.error));
    sys::Ops ops = sys::real_ops();
    ops.recvmsg = [error = c.error](int, msghdr*, int) -> ssize_t {
      errno = error;
      return -1;
    };
    const sys::ScopedOps scoped(ops);
    auto d = receive_datagram(server);
    if (c.message == nullptr) {
      ASSERT_THAT(d, IsOk());
      EXPECT_FALSE(d->has_value());
    } else {
      ASSERT_FALSE(d.ok());
      EXPECT_EQ(d.error().message, c.message);
      EXPECT_EQ(d.error().code, c.error);
    }
  }
}

// What a fake sendmsg saw.
struct SentMessage {
  int calls = 0;
  Endpoint to;
  std::string payload;
  int flags = -1;
  std::size_t control_length = 0;
  int cmsg_level = -1;
  int cmsg_type = -1;
  std::string source;  // the address in the pktinfo
  int interface_index = -1;
};

sys::Ops recording_sendmsg(SentMessage& seen, int fail_first_with) {
  sys::Ops ops = sys::real_ops();
  ops.sendmsg = [&seen, fail_first_with](int, const msghdr* msg, int flags) -> ssize_t {
    if (++seen.calls == 1 && fail_first_with != 0) {
      errno = fail_first_with;
      return -1;
    }
    auto to =
        Endpoint::from_sockaddr(static_cast<const sockaddr*>(msg->msg_name), msg->msg_namelen);
    if (to) seen.to = *to;
    EXPECT_EQ(msg->msg_iovlen, 1u);
    seen.payload.assign(static_cast<const char*>(msg->msg_iov[0].iov_base),
                        msg->msg_iov[0].iov_len);
    seen.flags = flags;
    seen.control_length = msg->msg_controllen;
    const cmsghdr* c = msg->msg_controllen > 0 ? CMSG_FIRSTHDR(msg) : nullptr;
    if (c != nullptr) {
      seen.cmsg_level = c->cmsg_level;
      seen.cmsg_type = c->cmsg_type;
      char text[INET6_ADDRSTRLEN] = {};
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        ::inet_ntop(AF_INET, &info.ipi_spec_dst, text, sizeof text);
        seen.interface_index = info.ipi_ifindex;
      } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
        in6_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        ::inet_ntop(AF_INET6, &info.ipi6_addr, text, sizeof text);
        seen.interface_index = static_cast<int>(info.ipi6_ifindex);
      }
      seen.source = text;
    }
    return static_cast<ssize_t>(msg->msg_iov[0].iov_len);
  };
  return ops;
}

TEST(SendReply, PutsTheDestinationInAPktinfo) {
  struct Case {
    const char* peer;
    std::optional<const char*> local;
    int interface_index;
    std::size_t control_length;
    int level;
    int type;
    const char* source;
    int sent_index;
  };
  const Case cases[] = {
      {"127.0.0.1:5000", std::nullopt, 0, 0, -1, -1, "", -1},
      {"127.0.0.1:5000", "127.0.0.2", 7, CMSG_SPACE(sizeof(in_pktinfo)), IPPROTO_IP, IP_PKTINFO,
       "127.0.0.2", 0},
      {"[::1]:5000", "2001:db8::9", 3, CMSG_SPACE(sizeof(in6_pktinfo)), IPPROTO_IPV6, IPV6_PKTINFO,
       "2001:db8::9", 0},
      {"[fe80::1]:5000", "fe80::9", 3, CMSG_SPACE(sizeof(in6_pktinfo)), IPPROTO_IPV6, IPV6_PKTINFO,
       "fe80::9", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.peer << " from " << c.local.value_or("(unknown)"));
    Datagram request;
    auto peer = Endpoint::parse(c.peer);
    ASSERT_TRUE(peer.ok());
    request.peer = *peer;
    if (c.local) request.local = endpoint(*c.local, 0);
    request.interface_index = c.interface_index;
    SentMessage seen;
    const sys::ScopedOps scoped(recording_sendmsg(seen, EINTR));
    const Status sent = send_reply(Socket(), bytes("reply"), request);
    ASSERT_THAT(sent, IsOk());
    EXPECT_EQ(seen.calls, 2) << "EINTR is retried";
    EXPECT_EQ(seen.to, request.peer);
    EXPECT_EQ(seen.payload, "reply");
    EXPECT_EQ(seen.flags, 0);
    EXPECT_EQ(seen.control_length, c.control_length);
    EXPECT_EQ(seen.cmsg_level, c.level);
    EXPECT_EQ(seen.cmsg_type, c.type);
    EXPECT_EQ(seen.source, c.source);
    EXPECT_EQ(seen.interface_index, c.sent_index);
  }
}

TEST(SendReply, ReportsAFailureNamingThePeer) {
  Datagram request;
  request.peer = endpoint("127.0.0.1", 9);
  sys::Ops ops = sys::real_ops();
  ops.sendmsg = [](int, const msghdr*, int) -> ssize_t {
    errno = EAGAIN;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  const Status sent = send_reply(Socket(), bytes("x"), request);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message,
            "sendmsg to 127.0.0.1:9: Resource temporarily unavailable (EAGAIN)");
}

TEST(SendDatagram, SendsToThePeerAndRetriesInterruptions) {
  SentMessage seen;
  const sys::ScopedOps scoped(recording_sendmsg(seen, EINTR));
  const Status sent = send_datagram(Socket(), bytes("hello"), endpoint("::1", 53));
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(seen.calls, 2);
  EXPECT_EQ(seen.to.to_string(), "[::1]:53");
  EXPECT_EQ(seen.payload, "hello");
  EXPECT_EQ(seen.control_length, 0u);
}

TEST(EnableDestinationInfo, FailsForTheWrongFamily) {
  auto s = Socket::udp(AF_INET);
  ASSERT_TRUE(s.ok());
  const Status enabled = enable_destination_info(*s, AF_INET6);
  ASSERT_FALSE(enabled.ok());
  EXPECT_THAT(enabled.error().message, ::testing::StartsWith("setsockopt IPV6_RECVPKTINFO: "));
  EXPECT_NE(enabled.error().code, 0);
}

}  // namespace
}  // namespace sockspec::net
