// Each step kind run against small in-test peers (echo, silent, resetting, UDP), through
// run_case with a --connect style target: verdicts, failure locations and messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <thread>

#include "harness/engine/tests/step_peers.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine::step_tests {
namespace {

using ::testing::HasSubstr;
namespace t = sockspec::testing;

// Reads nothing, ever.
void never_read(net::Socket& s, int stop_fd) {
  hold_open(s, stop_fd);
}

TEST(TcpSteps, AnOfferToAPeerThatStopsReadingEndsWithoutFailing) {
  TcpPeer peer(never_read);
  const auto start = std::chrono::steady_clock::now();
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - send: {pattern: {size: 64MiB, seed: 3}, offer: 10s}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));  // 1 s stall
  bool reported = false;
  for (const TranscriptEntry& e : r.transcript) {
    reported = reported || e.text.find("offered 67108864 bytes; the peer took") == 0;
  }
  EXPECT_TRUE(reported);
}

TEST(TcpSteps, EchoExchangePasses) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - send: {text: "hello\n"}
  - expect: {text: "hello\n"}
  - shutdown: write
  - expect-eof: {}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

// Greets every connection with "HI\n", then echoes.
void greet_then_echo(net::Socket& s, int stop_fd) {
  if (t::send_bytes(s, "HI\n", stop_fd)) echo(s, stop_fd);
}

TEST(ExchangeSteps, BannerHelloAndPipelinedPerClientExchanges) {
  TcpPeer peer(greet_then_echo);
  const Ran r = run_yaml(header("tcp, exchange") + R"(steps:
  - parallel:
      clients: 3
      steps:
        - connect: {}
        - exchange: {use: per-client, count: 20}
        - exchange: {}
)",
                         peer.endpoint(), R"(  tcp:
    banner: {regex: "HI\n"}
    hello: {request: {text: "HELLO\n"}, reply: {text: "HELLO\n"}}
    requests:
      ping: {request: {text: "PING\n"}, reply: {text: "PING\n"}}
      token: {request: {text: "T{client:2}.{seq:3}\n"}, reply: {text: "T{client:2}.{seq:3}\n"}}
    per-client: token
)");
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  std::size_t hellos = 0;
  bool padded_tokens = false;
  for (const TranscriptEntry& e : r.transcript) {
    if (e.kind == TranscriptEntry::Kind::sent && e.text == "HELLO\n") ++hellos;
    padded_tokens = padded_tokens || e.text.find("T02.000\nT02.001\n") == 0;
  }
  EXPECT_EQ(hellos, 3U);  // once per connection
  EXPECT_TRUE(padded_tokens);
}

TEST(ExchangeSteps, AWrongReplyNamesTheExchange) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp, exchange") + "steps:\n  - connect: {}\n  - exchange: {}\n",
                         peer.endpoint(),
                         "  tcp:\n    requests:\n      ping: {request: {text: \"PING\\n\"}, "
                         "reply: {regex: '\\+PONG\\r\\n'}}\n");
  ASSERT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.failure->expected, HasSubstr("the reply to exchange 'ping': bytes matching"));
  EXPECT_THAT(r.failure->observed, HasSubstr("PING"));
}

TEST(ExchangeSteps, APartTheProfileLacksSkipsWithTheReason) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(
      header("tcp, exchange") + "steps:\n  - connect: {}\n  - exchange: {use: large}\n",
      peer.endpoint(), "  tcp:\n    requests:\n      p: {request: {text: P}, reply: {text: P}}\n");
  EXPECT_EQ(r.verdict, Verdict::skip);
  EXPECT_THAT(r.reason, HasSubstr("no large exchange over tcp (exchanges.tcp.large)"));
}

TEST(ExchangeSteps, ALengthRangeTakesWhatArrivesUntilAQuiet) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(
      header("tcp, exchange") + "steps:\n  - connect: {}\n  - exchange: {}\n  - exchange: {}\n",
      peer.endpoint(),
      "  tcp:\n    requests:\n      p: {request: {text: ABCDEF}, "
      "reply: {length: 2..100}}\n");
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;  // 6 bytes each time, not 100 nor 2
}

// Echoes, but closes without answering when the client's FIN came with the bytes just read:
// close-on-EOF, the STR-3 bug `with-fin` makes certain to show.
void echo_unless_fin_came_along(net::Socket& s, int stop_fd) {
  echo_unless(s, stop_fd, [](int fd) {
    char next = 0;
    return ::recv(fd, &next, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
  });
}

const char* const kWithFinCase = R"(steps:
  - connect: {}
  - exchange: {count: 3, part: request, with-fin: true}
  - exchange: {count: 3, part: reply}
  - expect-eof: {}
)";
const char* const kPingExchange =
    "  tcp:\n    requests:\n      p: {request: {text: \"PING\\n\"}, reply: {text: \"PING\\n\"}}\n";

TEST(ExchangeSteps, WithFinTheRequestAndTheFinArriveTogether) {
  TcpPeer peer(echo_unless_fin_came_along);
  const Ran r = run_yaml(header("tcp, exchange") + kWithFinCase, peer.endpoint(), kPingExchange);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_THAT(r.failure->observed, HasSubstr("EOF"));
  bool half_closed = false;
  for (const TranscriptEntry& e : r.transcript) {
    half_closed = half_closed || e.text == "shutdown (the FIN with the last segment)";
  }
  EXPECT_TRUE(half_closed);
}

TEST(ExchangeSteps, WithFinAServerThatAnswersAfterTheFinPasses) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp, exchange") + kWithFinCase, peer.endpoint(), kPingExchange);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(TcpSteps, SegmentedLargePayloadComesBackSameAsSent) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - send: {pattern: {size: 256KiB, seed: 3}, segments: {size: 1..1400}, concurrent-read: true}
  - shutdown: write
  - expect: {same-as-sent: true, within: 5s}
  - expect-eof: {}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(TcpSteps, WrongBytesFailAtTheStepWithWhatWasSeen) {
  TcpPeer peer([](net::Socket& s, int stop_fd) {
    (void)t::send_bytes(s, "help!", stop_fd);
    hold_open(s, stop_fd);
  });
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - expect: {text: "hello", within: 1s}
)",
                         peer.endpoint());
  ASSERT_EQ(r.verdict, Verdict::fail);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->where.file, "case.yaml");
  EXPECT_EQ(r.failure->where.line, 8);
  EXPECT_EQ(r.failure->step, "expect");
  EXPECT_THAT(r.failure->observed, HasSubstr("byte 3 is 0x70 ('p'), not 0x6c ('l')"));
  EXPECT_THAT(r.reason, HasSubstr("case.yaml:8:"));
}

// Sends `pieces` pieces of 1 KiB, 5 ms apart, then holds the connection open.
std::function<void(net::Socket&, int)> trickle(std::size_t pieces) {
  return [pieces](net::Socket& s, int stop_fd) {
    const std::string piece(1024, 'z');
    for (std::size_t i = 0; i < pieces; ++i) {
      if (!t::send_bytes(s, piece, stop_fd)) return;
      if (net::wait_for(stop_fd, POLLIN, -1, std::chrono::milliseconds(5)).outcome !=
          net::WaitOutcome::kTimeout) {
        return;
      }
    }
    hold_open(s, stop_fd);
  };
}

// `within` bounds each wait for more, not the whole reply: 64 KiB that keep coming in 1 KiB
// pieces 5 ms apart take over 320 ms in all, yet no wait for the next piece comes near 200 ms.
TEST(TcpSteps, ASlowReplyThatKeepsComingIsReadToItsEnd) {
  TcpPeer peer(trickle(64));
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - expect: {length: 64KiB, within: 200ms}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(TcpSteps, AReplyThatStopsFailsWithWhatCameAndItsRate) {
  TcpPeer peer(trickle(8));
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - expect: {length: 64KiB, within: 200ms}
)",
                         peer.endpoint());
  ASSERT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.failure->observed, HasSubstr("nothing more within 200ms (after 8.0 KiB at "));
}

TEST(TcpSteps, RefusedConnectionFailsNamingTheAddress) {
  const net::Endpoint closed = t::closed_port("127.0.0.1", SOCK_STREAM);
  const Ran r = run_yaml(header("tcp") + "steps:\n  - connect: {}\n", closed);
  ASSERT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.failure->observed, HasSubstr("ECONNREFUSED"));
  EXPECT_THAT(r.failure->expected, HasSubstr(closed.to_string()));
}

TEST(TcpSteps, ParallelClientsEachGetTheirOwnPayloadAndNamesInTheTranscript) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - parallel:
      clients: 5
      steps:
        - connect: {}
        - repeat:
            count: 3
            steps:
              - send: {text: "client {client} seq {seq}\n"}
              - expect: {text: "client {client} seq {seq}\n"}
        - close: {}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  const bool named =
      std::any_of(r.transcript.begin(), r.transcript.end(),
                  [](const TranscriptEntry& e) { return e.endpoint == "client 4/c"; });
  EXPECT_TRUE(named);
}

TEST(TcpSteps, NestedRepeatsKeepTheOuterSeqAndRegexesTakePlaceholders) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp") + R"(steps:
  - connect: {}
  - repeat:
      count: 2
      steps:
        - repeat:
            count: 2
            steps:
              - send: {text: "inner {seq}\n"}
              - expect: {regex: "inner {seq}\\n"}
        - send: {text: "outer {seq}\n"}
        - expect: {text: "outer {seq}\n"}
  - send: {text: "last\n"}
  - expect: {text: "last\n"}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  const bool outer_one =
      std::any_of(r.transcript.begin(), r.transcript.end(),
                  [](const TranscriptEntry& e) { return e.text == "outer 1\n"; });
  EXPECT_TRUE(outer_one);
}

TEST(TcpSteps, LifecycleStepsAreSkippedAgainstARunningServer) {
  TcpPeer peer(echo);
  const Ran r = run_yaml(header("tcp") + "steps:\n  - census: {as: before}\n", peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::skip);
  EXPECT_THAT(r.reason, HasSubstr("--connect"));
}

TEST(UdpSteps, DatagramFromTheTargetPasses) {
  UdpEcho peer(false);
  const Ran r = run_yaml(header("udp") + R"(steps:
  - bind: {}
  - send-to: {text: "ping"}
  - expect-datagram: {text: "ping"}
  - expect-no-datagram: {for: 100ms}
)",
                         peer.endpoint());
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(UdpSteps, DatagramFromAnotherPortFails) {
  UdpEcho peer(true);
  const Ran r = run_yaml(header("udp") + R"(steps:
  - bind: {}
  - send-to: {text: "ping"}
  - expect-datagram: {text: "ping"}
)",
                         peer.endpoint());
  ASSERT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.failure->expected, HasSubstr("a datagram from " + peer.endpoint().to_string()));
  EXPECT_THAT(r.failure->observed, HasSubstr("a datagram from 127.0.0.1:"));
}

TEST(UdpSteps, NoAnswerFailsWithinItsTime) {
  UdpEcho peer(false);
  const net::Endpoint closed = t::closed_port("127.0.0.1", SOCK_DGRAM);
  const Ran r = run_yaml(header("udp") + R"(steps:
  - bind: {}
  - send-to: {text: "ping"}
  - expect-datagram: {text: "ping", within: 200ms}
)",
                         closed);
  ASSERT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.failure->observed, HasSubstr("no datagram within 200ms"));
}

}  // namespace
}  // namespace sockspec::engine::step_tests
