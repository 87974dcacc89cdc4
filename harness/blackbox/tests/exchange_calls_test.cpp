// What an exchange costs in system calls against live servers (counted through the sys::ops
// seam), and that the cheaper paths judge as before: a stray datagram is still caught.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "harness/blackbox/exchange.hpp"
#include "harness/blackbox/tests/live_helpers.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Counts of the calls an exchange makes, over the real system calls.
struct Calls {
  int send = 0;
  int recv = 0;
  int poll = 0;
  int no_delay = 0;  // setsockopt TCP_NODELAY
  int getsockname = 0;
};

net::sys::Ops counting(Calls& calls) {
  net::sys::Ops ops = net::sys::real_ops();
  const net::sys::Ops real = net::sys::real_ops();
  ops.send = [&calls, real](int fd, const void* b, size_t n, int f) {
    ++calls.send;
    return real.send(fd, b, n, f);
  };
  ops.recv = [&calls, real](int fd, void* b, size_t n, int f) {
    ++calls.recv;
    return real.recv(fd, b, n, f);
  };
  ops.poll = [&calls, real](pollfd* fds, nfds_t count, int ms) {
    ++calls.poll;
    return real.poll(fds, count, ms);
  };
  ops.setsockopt = [&calls, real](int fd, int level, int name, const void* v, socklen_t len) {
    if (level == IPPROTO_TCP && name == TCP_NODELAY) ++calls.no_delay;
    return real.setsockopt(fd, level, name, v, len);
  };
  ops.getsockname = [&calls, real](int fd, sockaddr* a, socklen_t* len) {
    ++calls.getsockname;
    return real.getsockname(fd, a, len);
  };
  return ops;
}

TEST(ExchangeCalls, PerConnectionSetsNoDelayOnlyForASegmentedInput) {
  auto target = test::start_live(test::kReference, "echo", Mode::per_connection);
  ASSERT_TRUE(target) << target.error().message;
  Exchange exchange(test::exchange_options(Mode::per_connection, "echo"));
  Calls calls;
  const net::sys::ScopedOps scoped(counting(calls));
  const Exchanged whole = exchange.run(target->endpoint(), "hello");
  EXPECT_EQ(whole.verdict, Verdict::ok) << whole.detail;
  EXPECT_EQ(calls.no_delay, 0);
  const std::size_t segments[] = {1, 2, 2};
  const Exchanged cut = exchange.run(target->endpoint(), "hello", segments);
  EXPECT_EQ(cut.verdict, Verdict::ok) << cut.detail;
  EXPECT_EQ(calls.no_delay, 1);
  EXPECT_EQ(calls.getsockname, 0);  // echo's model does not need our address
}

TEST(ExchangeCalls, PersistentSetsNoDelayOncePerConnection) {
  auto target = test::start_live(test::kReference, "echo", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  Exchange exchange(test::exchange_options(Mode::persistent, "echo"));
  Calls calls;
  const net::sys::ScopedOps scoped(counting(calls));
  const std::size_t segments[] = {2, 3};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(exchange.run(target->endpoint(), "hello").verdict, Verdict::ok);
    EXPECT_EQ(exchange.run(target->endpoint(), "hello", segments).verdict, Verdict::ok);
  }
  EXPECT_EQ(calls.no_delay, 1);  // before the first input: it must not wait for an ACK
}

TEST(ExchangeCalls, LineAsksForOurAddressForWhoami) {
  auto target = test::start_live(test::kReference, "line", Mode::per_connection);
  ASSERT_TRUE(target) << target.error().message;
  Exchange exchange(test::exchange_options(Mode::per_connection, "line"));
  Calls calls;
  const net::sys::ScopedOps scoped(counting(calls));
  const Exchanged e = exchange.run(target->endpoint(), "WHOAMI\n");
  EXPECT_EQ(e.verdict, Verdict::ok) << e.detail;
  EXPECT_THAT(e.reply, HasSubstr("127.0.0.1:"));
  EXPECT_EQ(calls.getsockname, 1);
}

// The calls of each exchange: 's' send, 'r' recv, 'p' poll, 'q' TCP_QUICKACK, '|' between.
net::sys::Ops recording(std::string& calls) {
  net::sys::Ops ops = net::sys::real_ops();
  const net::sys::Ops real = net::sys::real_ops();
  ops.send = [&calls, real](int fd, const void* b, size_t n, int f) {
    calls += 's';
    return real.send(fd, b, n, f);
  };
  ops.recv = [&calls, real](int fd, void* b, size_t n, int f) {
    calls += 'r';
    return real.recv(fd, b, n, f);
  };
  ops.poll = [&calls, real](pollfd* fds, nfds_t count, int ms) {
    calls += 'p';
    return real.poll(fds, count, ms);
  };
  ops.setsockopt = [&calls, real](int fd, int level, int name, const void* v, socklen_t len) {
    if (level == IPPROTO_TCP && name == TCP_QUICKACK) calls += 'q';
    return real.setsockopt(fd, level, name, v, len);
  };
  return ops;
}

// Ten echo exchanges of "hello" after a first one (which connects), their calls recorded.
std::vector<std::string> ten_exchanges(Mode mode) {
  auto target = test::start_live(test::kReference, "echo", mode);
  EXPECT_TRUE(target) << target.error().message;
  if (!target) return {};
  Exchange exchange(test::exchange_options(mode, "echo"));
  EXPECT_EQ(exchange.run(target->endpoint(), "first").verdict, Verdict::ok);
  std::vector<std::string> each;
  for (int i = 0; i < 10; ++i) {
    std::string calls;
    const net::sys::ScopedOps scoped(recording(calls));
    EXPECT_EQ(exchange.run(target->endpoint(), "hello").verdict, Verdict::ok);
    each.push_back(calls);
  }
  return each;
}

// The send first (no recv() before it), then the reply: read at once, waited for first, or a
// guess that missed; no TCP_QUICKACK for a reply that came whole.
TEST(ExchangeCalls, PersistentInputIsASendThenTheReply) {
  for (const std::string& calls : ten_exchanges(Mode::persistent)) {
    EXPECT_THAT(calls, ::testing::MatchesRegex("s(r|pr|rpr)")) << calls;
  }
}

TEST(ExchangeCalls, DatagramIsASendThenTheReply) {
  for (const std::string& calls : ten_exchanges(Mode::datagram)) {
    EXPECT_THAT(calls, ::testing::MatchesRegex("s(r|pr|rpr)")) << calls;
  }
}

TEST(ExchangeCalls, AStrayDatagramIsStillCaught) {
  auto target = test::start_live(test::kVictim, "echo", Mode::datagram);
  ASSERT_TRUE(target) << target.error().message;
  Exchange exchange(test::exchange_options(Mode::datagram, "echo"));
  const Exchanged twice = exchange.run(target->endpoint(), "TWICE");
  EXPECT_EQ(twice.verdict, Verdict::ok) << twice.detail;  // the first answer is right
  const Exchanged next = exchange.run(target->endpoint(), "next");
  EXPECT_EQ(next.verdict, Verdict::broken);
  EXPECT_THAT(next.detail, HasSubstr("a 5-byte datagram arrived that no request asked for"));
  EXPECT_THAT(exchange.history(), ::testing::ElementsAre("TWICE", "next"));
}

}  // namespace
}  // namespace sockspec::blackbox
