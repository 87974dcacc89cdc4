// Tests of Socket: creation, bind/connect error messages, options, half-close and reset.
#include "targets/net/socket.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <ostream>
#include <string>
#include <type_traits>

#include "targets/net/acceptor.hpp"
#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::net {

namespace {

using sockspec::testing::IsOk;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr milliseconds kBound{5000};  // a bound on every wait that should end at once

static_assert(!std::is_copy_constructible_v<Socket>);
static_assert(std::is_nothrow_move_constructible_v<Socket>);
static_assert(std::is_nothrow_move_assignable_v<Socket>);

Endpoint endpoint(const char* host, std::uint16_t port) {
  auto e = Endpoint::from_host(host, port);
  EXPECT_THAT(e, IsOk());
  return e.ok() ? *e : Endpoint();
}

Endpoint local_of(const Socket& s) {
  auto e = s.local_endpoint();
  EXPECT_THAT(e, IsOk());
  return e.ok() ? *e : Endpoint();
}

// A TCP socket of `where`'s family bound to `where` (and listening when asked).
Socket tcp_bound(const Endpoint& where, bool listening) {
  auto s = Socket::tcp(where.family());
  EXPECT_THAT(s, IsOk());
  if (!s.ok()) return {};
  const Status bound = s->bind(where);
  EXPECT_THAT(bound, IsOk());
  if (listening) {
    EXPECT_TRUE(s->listen(16).ok());
  }
  return std::move(*s);
}

// Both ends of a TCP connection over loopback.
struct Connection {
  Socket client;
  Socket server;
};

Connection connect_pair(const char* host) {
  Acceptor acceptor(tcp_bound(endpoint(host, 0), true));
  auto client = Socket::tcp(endpoint(host, 0).family());
  EXPECT_TRUE(client.ok());
  if (!client.ok()) return {};
  const Status connected = client->connect(local_of(acceptor.socket()));
  EXPECT_THAT(connected, IsOk());
  if (!connected.ok()) return {};
  if (wait_for(acceptor.fd(), POLLIN, -1, kBound).outcome != WaitOutcome::kReady) {
    ADD_FAILURE() << "nothing to accept within the bound";
    return {};
  }
  auto accepted = acceptor.accept(false);
  EXPECT_TRUE(accepted.ok() && accepted->has_value());
  if (!accepted.ok() || !accepted->has_value()) return {};
  return {std::move(*client), std::move((*accepted)->socket)};
}

int int_option(const Socket& s, int level, int name) {
  int value = -1;
  socklen_t len = sizeof value;
  EXPECT_EQ(sys::ops().getsockopt(s.fd(), level, name, &value, &len), 0);
  return value;
}

IoOutcome read_outcome(const Socket& s, int* error) {
  EXPECT_EQ(wait_for(s.fd(), POLLIN, -1, kBound).outcome, WaitOutcome::kReady);
  std::byte buffer[16];
  const IoResult r = recv_some(s.fd(), buffer);
  if (error != nullptr) *error = r.error;
  return r.outcome;
}

TEST(Socket, FactoriesMakeCloseOnExecSocketsOfTheFamily) {
  for (const int family : {AF_INET, AF_INET6}) {
    SCOPED_TRACE(family);
    for (const bool tcp : {true, false}) {
      auto s = tcp ? Socket::tcp(family) : Socket::udp(family);
      ASSERT_THAT(s, IsOk());
      EXPECT_TRUE(s->valid());
      EXPECT_NE(sys::ops().fcntl(s->fd(), F_GETFD, 0) & FD_CLOEXEC, 0);
      EXPECT_EQ(int_option(*s, SOL_SOCKET, SO_DOMAIN), family);
      EXPECT_EQ(int_option(*s, SOL_SOCKET, SO_TYPE), tcp ? SOCK_STREAM : SOCK_DGRAM);
    }
  }
}

TEST(Socket, FactoryFailureNamesTheKind) {
  sys::Ops ops = sys::real_ops();
  ops.socket = [](int, int, int) {
    errno = EMFILE;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  auto tcp = Socket::tcp(AF_INET);
  ASSERT_FALSE(tcp.ok());
  EXPECT_EQ(tcp.error().message, "socket(tcp): Too many open files (EMFILE)");
  auto udp = Socket::udp(AF_INET6);
  ASSERT_FALSE(udp.ok());
  EXPECT_EQ(udp.error().message, "socket(udp): Too many open files (EMFILE)");
}

TEST(Socket, MoveAndReleaseLeaveItEmpty) {
  auto made = Socket::tcp(AF_INET);
  ASSERT_TRUE(made.ok());
  Socket a = std::move(*made);
  const int fd = a.fd();
  Socket b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_EQ(b.fd(), fd);
  const Fd owner(b.release());
  EXPECT_FALSE(b.valid());
  EXPECT_EQ(owner.get(), fd);
}

TEST(SocketBind, PortAlreadyHeldNamesTheAddressAndEaddrinuse) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    const Socket holder = tcp_bound(endpoint(host, 0), true);
    const Endpoint taken = local_of(holder);
    ASSERT_NE(taken.port(), 0);
    auto second = Socket::tcp(taken.family());
    ASSERT_TRUE(second.ok());
    const Status bound = second->bind(taken);
    ASSERT_FALSE(bound.ok());
    EXPECT_EQ(bound.error().message,
              "bind " + taken.to_string() + ": Address already in use (EADDRINUSE)");
    EXPECT_EQ(bound.error().code, EADDRINUSE);
  }
}

TEST(SocketBind, PortZeroGetsAKernelChosenPort) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    const Socket s = tcp_bound(endpoint(host, 0), false);
    const Endpoint bound = local_of(s);
    EXPECT_EQ(bound.host(), host);
    EXPECT_NE(bound.port(), 0);
  }
}

bool bindv6only_is_off() {
  std::ifstream file("/proc/sys/net/ipv6/bindv6only");
  int value = -1;
  file >> value;
  return value == 0;
}

TEST(SocketSetIpv6Only, LetsTheTwoWildcardsShareAPort) {
  auto v6 = Socket::tcp(AF_INET6);
  ASSERT_TRUE(v6.ok());
  const Status only = v6->set_ipv6_only();
  ASSERT_THAT(only, IsOk());
  EXPECT_EQ(int_option(*v6, IPPROTO_IPV6, IPV6_V6ONLY), 1);
  ASSERT_TRUE(v6->bind(endpoint("::", 0)).ok());
  ASSERT_TRUE(v6->listen(4).ok());
  const std::uint16_t port = local_of(*v6).port();
  auto v4 = Socket::tcp(AF_INET);
  ASSERT_TRUE(v4.ok());
  const Status bound = v4->bind(endpoint("0.0.0.0", port));
  EXPECT_THAT(bound, IsOk());
}

TEST(SocketSetIpv6Only, WithoutItTheIpv6WildcardTakesTheIpv4PortToo) {
  // The control for the test above.
  if (!bindv6only_is_off()) GTEST_SKIP() << "net.ipv6.bindv6only is set on this machine";
  const Socket v6 = tcp_bound(endpoint("::", 0), true);
  const std::uint16_t port = local_of(v6).port();
  auto v4 = Socket::tcp(AF_INET);
  ASSERT_TRUE(v4.ok());
  const Status bound = v4->bind(endpoint("0.0.0.0", port));
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().code, EADDRINUSE);
}

TEST(SocketSetIpv6Only, FailsOnAnIpv4Socket) {
  auto v4 = Socket::tcp(AF_INET);
  ASSERT_TRUE(v4.ok());
  const Status only = v4->set_ipv6_only();
  ASSERT_FALSE(only.ok());
  EXPECT_THAT(only.error().message, ::testing::StartsWith("setsockopt IPV6_V6ONLY: "));
  EXPECT_NE(only.error().code, 0);
}

TEST(SocketConnect, ClosedPortIsRefused) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    for (const bool nonblocking : {false, true}) {
      SCOPED_TRACE(::testing::Message() << host << (nonblocking ? " non-blocking" : " blocking"));
      // Bound but not listening: the port is ours, so nobody else can be listening there.
      const Socket closed = tcp_bound(endpoint(host, 0), false);
      const Endpoint where = local_of(closed);
      auto client = Socket::tcp(where.family());
      ASSERT_TRUE(client.ok());
      ASSERT_TRUE(client->set_nonblocking(nonblocking).ok());
      const Status connected = client->connect(where);
      ASSERT_FALSE(connected.ok());
      EXPECT_EQ(connected.error().message,
                "connect " + where.to_string() + ": Connection refused (ECONNREFUSED)");
      EXPECT_EQ(connected.error().code, ECONNREFUSED);
    }
  }
}

TEST(SocketConnect, InterruptedConnectWaitsForTheOutcome) {
  struct Case {
    bool listening;
    int expected;  // 0: connected
  };
  for (const Case c : {Case{true, 0}, Case{false, ECONNREFUSED}}) {
    SCOPED_TRACE(c.listening ? "listening" : "closed");
    const Socket server = tcp_bound(endpoint("127.0.0.1", 0), c.listening);
    auto client = Socket::tcp(AF_INET);
    ASSERT_TRUE(client.ok());
    // A signal during connect: the attempt goes on in the kernel, connect says EINTR.
    ASSERT_TRUE(client->set_nonblocking(true).ok());
    int polls = 0;
    sys::Ops ops = sys::real_ops();
    const auto real_connect = ops.connect;
    const auto real_poll = ops.poll;
    ops.connect = [&](int fd, const sockaddr* addr, socklen_t len) {
      const int result = real_connect(fd, addr, len);
      if (result == 0 || errno != EINPROGRESS) return result;
      errno = EINTR;  // the attempt is under way, as when a signal interrupts a blocking connect
      return -1;
    };
    ops.poll = [&](pollfd* fds, nfds_t count, int timeout_ms) {
      ++polls;
      EXPECT_EQ(fds[0].events, POLLOUT);
      return real_poll(fds, count, timeout_ms);
    };
    const sys::ScopedOps scoped(ops);
    const Status connected = client->connect(local_of(server));
    EXPECT_EQ(polls, 1);
    if (c.expected == 0) {
      EXPECT_THAT(connected, IsOk());
    } else {
      ASSERT_FALSE(connected.ok());
      EXPECT_EQ(connected.error().code, c.expected);
      EXPECT_THAT(connected.error().message, HasSubstr("connect " + local_of(server).to_string()));
    }
  }
}

TEST(SocketShutdownWrite, PeerSeesEofAndCanStillAnswer) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    Connection c = connect_pair(host);
    ASSERT_TRUE(c.client.valid() && c.server.valid());
    const Status shut = c.client.shutdown_write();
    ASSERT_THAT(shut, IsOk());
    EXPECT_EQ(read_outcome(c.server, nullptr), IoOutcome::kEof);
    // Half-close: the other direction still works (STR-3).
    const std::byte reply[] = {std::byte{'o'}, std::byte{'k'}};
    const IoResult sent = send_all(c.server.fd(), reply, -1, kBound);
    EXPECT_EQ(sent.bytes, 2u);
    EXPECT_EQ(read_outcome(c.client, nullptr), IoOutcome::kData);
  }
}

TEST(SocketSetLingerZero, CloseResetsThePeer) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    Connection c = connect_pair(host);
    ASSERT_TRUE(c.client.valid() && c.server.valid());
    const Status linger = c.client.set_linger_zero();
    ASSERT_THAT(linger, IsOk());
    c.client = Socket();
    int error = 0;
    EXPECT_EQ(read_outcome(c.server, &error), IoOutcome::kReset);
    EXPECT_EQ(error, ECONNRESET);
  }
}

TEST(SocketShutdown, ReadSideAndBothSides) {
  Connection c = connect_pair("127.0.0.1");
  ASSERT_TRUE(c.client.valid() && c.server.valid());
  ASSERT_THAT(c.client.shutdown(SHUT_RDWR), IsOk());
  EXPECT_EQ(read_outcome(c.server, nullptr), IoOutcome::kEof);
  Socket unconnected;
  EXPECT_EQ(unconnected.shutdown(SHUT_RD).error().message,
            "shutdown(SHUT_RD): Bad file descriptor (EBADF)");
}

TEST(SocketConnectWithin, ConnectsRefusesAndTimesOutNamingThePeer) {
  const Socket listening = tcp_bound(endpoint("127.0.0.1", 0), true);
  auto ok = Socket::tcp(AF_INET);
  ASSERT_TRUE(ok.ok());
  EXPECT_THAT(ok->connect_within(local_of(listening), kBound), IsOk());
  const Socket closed = tcp_bound(endpoint("127.0.0.1", 0), false);
  auto refused = Socket::tcp(AF_INET);
  ASSERT_TRUE(refused.ok());
  const Status r = refused->connect_within(local_of(closed), kBound);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "connect " + local_of(closed).to_string() + ": Connection refused (ECONNREFUSED)");
  // A handshake that never completes: the seam reports EINPROGRESS and poll never fires.
  sys::Ops ops = sys::real_ops();
  ops.connect = [](int, const sockaddr*, socklen_t) {
    errno = EINPROGRESS;
    return -1;
  };
  ops.poll = [](pollfd*, nfds_t, int) { return 0; };
  const sys::ScopedOps scoped(ops);
  auto hanging = Socket::tcp(AF_INET);
  ASSERT_TRUE(hanging.ok());
  const Status t = hanging->connect_within(endpoint("127.0.0.1", 9), milliseconds(10));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "connect 127.0.0.1:9: timed out after 10 ms");
  EXPECT_EQ(t.error().code, ETIMEDOUT);
}

TEST(SocketSetNonblocking, TogglesONonblock) {
  auto s = Socket::udp(AF_INET);
  ASSERT_TRUE(s.ok());
  for (const bool on : {true, false, true}) {
    SCOPED_TRACE(on);
    ASSERT_TRUE(s->set_nonblocking(on).ok());
    EXPECT_EQ((sys::ops().fcntl(s->fd(), F_GETFL, 0) & O_NONBLOCK) != 0, on);
  }
}

TEST(SocketOptions, AreSetOnTheSocket) {
  auto s = Socket::tcp(AF_INET);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(int_option(*s, SOL_SOCKET, SO_REUSEADDR), 0);
  ASSERT_TRUE(s->set_reuse_address().ok());
  EXPECT_EQ(int_option(*s, SOL_SOCKET, SO_REUSEADDR), 1);
  ASSERT_TRUE(s->set_receive_buffer(65536).ok());
  EXPECT_EQ(int_option(*s, SOL_SOCKET, SO_RCVBUF), 2 * 65536);  // the kernel doubles it
  EXPECT_EQ(int_option(*s, IPPROTO_TCP, TCP_NODELAY), 0);
  ASSERT_TRUE(s->set_no_delay().ok());
  EXPECT_EQ(int_option(*s, IPPROTO_TCP, TCP_NODELAY), 1);
  ASSERT_TRUE(s->set_linger_zero().ok());
  linger value{};
  socklen_t len = sizeof value;
  ASSERT_EQ(sys::ops().getsockopt(s->fd(), SOL_SOCKET, SO_LINGER, &value, &len), 0);
  EXPECT_EQ(value.l_onoff, 1);
  EXPECT_EQ(value.l_linger, 0);
}

TEST(SocketErrors, NameTheCall) {
  Socket s;  // fd -1: every call fails with EBADF
  const char* bad = ": Bad file descriptor (EBADF)";
  EXPECT_EQ(s.bind(endpoint("127.0.0.1", 80)).error().message,
            std::string("bind 127.0.0.1:80") + bad);
  EXPECT_EQ(s.listen(1).error().message, std::string("listen") + bad);
  EXPECT_EQ(s.connect(endpoint("::1", 7)).error().message, std::string("connect [::1]:7") + bad);
  EXPECT_EQ(s.set_nonblocking(true).error().message, std::string("fcntl F_GETFL") + bad);
  EXPECT_EQ(s.set_reuse_address().error().message, std::string("setsockopt SO_REUSEADDR") + bad);
  EXPECT_EQ(s.set_ipv6_only().error().message, std::string("setsockopt IPV6_V6ONLY") + bad);
  EXPECT_EQ(s.set_linger_zero().error().message, std::string("setsockopt SO_LINGER") + bad);
  EXPECT_EQ(s.set_receive_buffer(1).error().message, std::string("setsockopt SO_RCVBUF") + bad);
  EXPECT_EQ(s.shutdown_write().error().message, std::string("shutdown(SHUT_WR)") + bad);
  EXPECT_EQ(s.local_endpoint().error().message, std::string("getsockname") + bad);
  EXPECT_EQ(s.peer_endpoint().error().message, std::string("getpeername") + bad);
}

TEST(SocketPeerEndpoint, UnconnectedIsEnotconn) {
  auto s = Socket::tcp(AF_INET);
  ASSERT_TRUE(s.ok());
  auto peer = s->peer_endpoint();
  ASSERT_FALSE(peer.ok());
  EXPECT_EQ(peer.error().message, "getpeername: Transport endpoint is not connected (ENOTCONN)");
}

TEST(SocketEndpoints, MatchAcrossAConnection) {
  for (const char* host : {"127.0.0.1", "::1"}) {
    SCOPED_TRACE(host);
    const Connection c = connect_pair(host);
    ASSERT_TRUE(c.client.valid() && c.server.valid());
    auto client_peer = c.client.peer_endpoint();
    auto server_peer = c.server.peer_endpoint();
    ASSERT_TRUE(client_peer.ok() && server_peer.ok());
    EXPECT_EQ(*client_peer, local_of(c.server));
    EXPECT_EQ(*server_peer, local_of(c.client));
  }
}

}  // namespace
}  // namespace sockspec::net
