// The protocol mode on the wire, against live servers: every fuzz connection is greeted first (a
// greeting that fails shows as server_ended), the server's close shows as server_ended, and the
// probe reads the banner first, passes on a server that answers its default exchange and fails,
// saying why, otherwise (twice in a row: one miss is not a finding).
#include "harness/blackbox/protocol_io.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "harness/blackbox/exchange.hpp"
#include "harness/blackbox/judge.hpp"
#include "harness/blackbox/tests/live_helpers.hpp"
#include "targets/net/acceptor.hpp"
#include "targets/net/io.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

engine::Expected bytes(std::string b) {
  engine::Expected e;
  e.bytes = std::move(b);
  return e;
}

// An echo "protocol": the hello and the probe are echoed.
Protocol echo_protocol(scenario::Transport t = scenario::Transport::tcp) {
  Protocol p;
  p.name = "victim";
  p.transport = t;
  if (t == scenario::Transport::tcp) {
    p.hello = "HELLO\n";
    p.hello_reply = bytes("HELLO\n");
  }
  p.probe_name = "ping";
  p.probe_request = "PING\n";
  p.probe_reply = bytes("PING\n");
  p.requests = {"PING\n"};
  return p;
}

ExchangeOptions protocol_options(Mode mode, Protocol p) {
  ExchangeOptions o = test::exchange_options(mode, "");
  o.reply_timeout = 300ms;
  o.protocol = std::make_shared<const Protocol>(std::move(p));
  return o;
}

TEST(ProtocolExchange, EveryConnectionIsGreetedFirst) {
  auto target = test::start_live(test::kVictim, "echo", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  Exchange greeted(protocol_options(Mode::persistent, echo_protocol()));
  EXPECT_FALSE(greeted.has_model());
  const Exchanged ok = greeted.run(target->endpoint(), "x");
  EXPECT_EQ(ok.verdict, Verdict::ok) << ok.detail;
  EXPECT_FALSE(ok.server_ended) << ok.detail;
  // A hello whose reply never comes: the greeting fails before the input is sent.
  Protocol wrong = echo_protocol();
  wrong.hello_reply = bytes("WELCOME\n");
  for (const Mode mode : {Mode::persistent, Mode::per_connection}) {
    Exchange exchange(protocol_options(mode, wrong));
    const Exchanged e = exchange.run(target->endpoint(), "x");
    EXPECT_EQ(e.verdict, Verdict::ok);
    EXPECT_TRUE(e.server_ended);
    EXPECT_THAT(e.detail, StartsWith("the reply to the hello: expected 8 bytes \"WELCOME\\n\""));
  }
}

TEST(ProtocolExchange, AConnectionTheServerClosesIsServerEnded) {
  auto target = test::start_live(test::kReference, "line", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  Protocol line = echo_protocol();
  line.hello.reset();
  line.hello_reply.reset();
  Exchange exchange(protocol_options(Mode::persistent, line));
  bool ended = false;
  // QUIT: the server answers and closes; a later input meets the close.
  for (int i = 0; i < 20 && !ended; ++i) {
    const Exchanged e = exchange.run(target->endpoint(), i == 0 ? "QUIT\n" : "PING\n");
    EXPECT_EQ(e.verdict, Verdict::ok) << e.detail;
    ended = e.server_ended;
    if (!ended) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(ended);
  Exchange open(protocol_options(Mode::persistent, line));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(open.run(target->endpoint(), "PING\n").server_ended);
}

TEST(ProtocolProbe, PassesWhenTheDefaultExchangeIsAnsweredAndSaysWhyOtherwise) {
  auto target = test::start_live(test::kVictim, "echo", Mode::datagram);
  ASSERT_TRUE(target) << target.error().message;
  const ProtocolStatus udp =
      probe(target->endpoint(), echo_protocol(scenario::Transport::udp), 1s, 300ms, -1);
  EXPECT_TRUE(udp.ok()) << udp.detail;
  Protocol wrong_udp = echo_protocol(scenario::Transport::udp);
  wrong_udp.probe_reply = bytes("PONG\n");
  const ProtocolStatus bad_udp = probe(target->endpoint(), wrong_udp, 1s, 300ms, -1);
  EXPECT_EQ(bad_udp.state, ProtocolStatus::State::failed);
  EXPECT_THAT(bad_udp.detail, StartsWith("the reply to exchange 'ping': expected 5 bytes"));

  auto tcp = test::start_live(test::kVictim, "echo", Mode::persistent);
  ASSERT_TRUE(tcp) << tcp.error().message;
  const ProtocolStatus ok = probe(tcp->endpoint(), echo_protocol(), 1s, 300ms, -1);
  EXPECT_TRUE(ok.ok()) << ok.detail;
  Protocol regex = echo_protocol();
  regex.probe_reply.kind = engine::Expected::Kind::regex;
  regex.probe_reply.regex = "P[A-Z]+\n";
  EXPECT_TRUE(probe(tcp->endpoint(), regex, 1s, 300ms, -1).ok());
  Protocol wrong = echo_protocol();
  wrong.probe_reply = bytes("PONG\n");
  const ProtocolStatus bad = probe(tcp->endpoint(), wrong, 1s, 300ms, -1);
  EXPECT_EQ(bad.state, ProtocolStatus::State::failed);
  EXPECT_THAT(bad.detail, StartsWith("the reply to exchange 'ping': expected 5 bytes"));
  EXPECT_THAT(bad.detail, HasSubstr("byte 1 is 0x49 ('I'), not 0x4f ('O')"));
  Protocol longer = echo_protocol();
  longer.probe_reply = bytes("PING\nPING\n");
  const ProtocolStatus silent = probe(tcp->endpoint(), longer, 1s, 300ms, -1);
  EXPECT_EQ(silent.state, ProtocolStatus::State::failed);
  EXPECT_THAT(silent.detail, HasSubstr("(nothing more within the reply timeout)"));

  const net::Endpoint gone = tcp->endpoint();
  tcp->stop();
  const ProtocolStatus refused = probe(gone, echo_protocol(), 1s, 300ms, -1);
  EXPECT_EQ(refused.state, ProtocolStatus::State::failed);
  EXPECT_THAT(refused.detail, HasSubstr("ECONNREFUSED"));
}

// A server on 127.0.0.1 that leaves its first `missed` connections unanswered; on the later ones
// it sends `banner`, then answers "PING\n" to "PING\n": busy once, then fine.
class MissesFirst {
 public:
  explicit MissesFirst(int missed, std::string banner = {})
      : missed_(missed), banner_(std::move(banner)) {
    net::Result<net::Socket> s = net::Socket::tcp(AF_INET);
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(s->bind(*net::Endpoint::parse("127.0.0.1:0")).ok());
    EXPECT_TRUE(s->listen(16).ok());
    endpoint_ = *s->local_endpoint();
    acceptor_.emplace(std::move(s).value());
    thread_ = std::jthread([this](const std::stop_token& stop) { serve(stop); });
  }
  [[nodiscard]] const net::Endpoint& endpoint() const { return endpoint_; }

 private:
  void serve(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      if (net::wait_for(acceptor_->fd(), POLLIN, -1, 20ms).outcome != net::WaitOutcome::kReady)
        continue;
      net::Result<std::optional<net::Accepted>> a = acceptor_->accept(false);
      if (!a || !*a) continue;
      net::Socket c = std::move((*a)->socket);
      if (missed_-- > 0) {
        held_.push_back(std::move(c));  // open, never answered
        continue;
      }
      (void)net::send_all(c.fd(), std::as_bytes(std::span(banner_)), -1, 1s);
      std::string got;
      std::array<std::byte, 64> buffer{};
      while (got.find("PING\n") == std::string::npos &&
             net::wait_for(c.fd(), POLLIN, -1, 1s).outcome == net::WaitOutcome::kReady) {
        const net::IoResult r = net::recv_some(c.fd(), buffer);
        if (r.outcome != net::IoOutcome::kData) break;
        got.append(reinterpret_cast<const char*>(buffer.data()), r.bytes);
      }
      const std::string_view reply = "PING\n";
      (void)net::send_all(c.fd(), std::as_bytes(std::span(reply)), -1, 1s);
      held_.push_back(std::move(c));
    }
  }

  int missed_;
  std::string banner_;
  net::Endpoint endpoint_;
  std::optional<net::Acceptor> acceptor_;
  std::vector<net::Socket> held_;
  std::jthread thread_;  // last: joined before the sockets it uses are closed
};

TEST(ProtocolProbe, OneMissedReplyIsNotAFindingTwoInARowAre) {
  for (const int missed : {1, 2}) {
    SCOPED_TRACE(missed);
    MissesFirst server(missed);
    LiveTargetSpec spec;
    spec.connect = server.endpoint();
    net::Result<LiveTarget> target = LiveTarget::start(std::move(spec));
    ASSERT_TRUE(target) << target.error().message;
    Protocol p = echo_protocol();
    p.hello.reset();
    p.hello_reply.reset();
    const Judgement j = probe_judgement(*target, protocol_options(Mode::persistent, p));
    if (missed == 1) {
      EXPECT_FALSE(j.kind) << j.detail;
    } else {
      EXPECT_EQ(j.kind, FindingKind::unresponsive);
      EXPECT_THAT(j.detail, HasSubstr("(nothing more within the reply timeout)"));
    }
  }
}

TEST(ProtocolProbe, ReadsTheBannerFirst) {
  MissesFirst server(0, "SRV 42 ready\r\n");
  Protocol p = echo_protocol();
  p.hello.reset();
  p.hello_reply.reset();
  engine::Expected banner;
  banner.kind = engine::Expected::Kind::regex;
  banner.regex = "SRV [0-9]+ ready\r\n";
  p.banner = banner;
  const ProtocolStatus ok = probe(server.endpoint(), p, 1s, 300ms, -1);
  EXPECT_TRUE(ok.ok()) << ok.detail;
  // Without the banner read, it would stand before the reply.
  p.banner.reset();
  const ProtocolStatus unread = probe(server.endpoint(), p, 1s, 300ms, -1);
  EXPECT_EQ(unread.state, ProtocolStatus::State::failed);
  p.banner = bytes("OTHER\r\n");
  const ProtocolStatus wrong = probe(server.endpoint(), p, 1s, 300ms, -1);
  EXPECT_EQ(wrong.state, ProtocolStatus::State::failed);
  EXPECT_THAT(wrong.detail, StartsWith("the banner: expected 7 bytes \"OTHER\\r\\n\""));
}

}  // namespace
}  // namespace sockspec::blackbox
