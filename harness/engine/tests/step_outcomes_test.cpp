// Each step kind that runs against a --connect style target, table-driven: its success, each way
// it fails (the failing step and what it observed) against small scripted peers; the lifecycle
// steps, which need a target the harness starts, are skipped with the step named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "harness/engine/tests/step_peers.hpp"

namespace sockspec::engine::step_tests {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace t = sockspec::testing;

// Who the case talks to.
enum class Peer {
  tcp,         // a TcpPeer running `serve`
  udp_echo,    // a UdpEcho answering from its own port
  udp_other,   // a UdpEcho answering from another port
  udp_closed,  // a UDP port nothing is bound to
};

struct Row {
  std::string name;  // the test's name
  Peer peer;
  Serve serve;        // Peer::tcp: what the peer does with the connection
  std::string steps;  // the scenario's steps, each "  - kind: {...}\n"
  Verdict verdict;
  std::string step;      // the step that failed; empty unless the verdict is fail
  std::string observed;  // fail: a part of what it observed; skip: a part of the reason
};

Ran run_row(const Row& row) {
  const std::string yaml = header(row.peer == Peer::tcp ? "tcp" : "udp") + "steps:\n" + row.steps;
  switch (row.peer) {
    case Peer::tcp: {
      const TcpPeer peer(row.serve);
      return run_yaml(yaml, peer.endpoint());
    }
    case Peer::udp_echo:
    case Peer::udp_other: {
      const UdpEcho peer(row.peer == Peer::udp_other);
      return run_yaml(yaml, peer.endpoint());
    }
    case Peer::udp_closed:
      return run_yaml(yaml, t::closed_port("127.0.0.1", SOCK_DGRAM));
  }
  return {};
}

class StepOutcome : public ::testing::TestWithParam<Row> {};

TEST_P(StepOutcome, VerdictFailingStepAndWhatItSaw) {
  const Row& row = GetParam();
  const Ran r = run_row(row);
  ASSERT_EQ(r.verdict, row.verdict) << r.reason;
  if (row.verdict == Verdict::skip) {
    EXPECT_THAT(r.reason, HasSubstr(row.observed));
    return;
  }
  if (row.verdict != Verdict::fail) return;
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->step, row.step);
  EXPECT_THAT(r.failure->observed, HasSubstr(row.observed));
  EXPECT_THAT(r.reason, StartsWith("case.yaml:"));
  EXPECT_EQ(r.reason, failure_line(*r.failure));
}

constexpr auto kPass = Verdict::pass;
constexpr auto kFail = Verdict::fail;

const Row kTcpRows[] = {
    {"ConnectSendExpect", Peer::tcp, echo,
     "  - connect: {}\n  - send: {text: hi}\n  - expect: {text: hi}\n", kPass, "", ""},
    {"ExpectWrongBytes", Peer::tcp, say_then_hold("help!"),
     "  - connect: {}\n  - expect: {text: hello, within: 1s}\n", kFail, "expect",
     "byte 3 is 0x70 ('p'), not 0x6c ('l')"},
    {"ExpectShortThenEof", Peer::tcp, say_then_close("he"),
     "  - connect: {}\n  - expect: {text: hello, within: 1s}\n", kFail, "expect", "; then EOF"},
    {"ExpectShortThenNothing", Peer::tcp, say_then_hold("he"),
     "  - connect: {}\n  - expect: {text: hello, within: 100ms}\n", kFail, "expect",
     "; nothing more within 100ms"},
    {"ExpectEof", Peer::tcp, say_then_close(""), "  - connect: {}\n  - expect-eof: {}\n", kPass, "",
     ""},
    {"ExpectEofGetsData", Peer::tcp, say_then_hold("x"),
     "  - connect: {}\n  - expect-eof: {within: 1s}\n", kFail, "expect-eof",
     "unexpected data \"x\""},
    {"ExpectEofGetsReset", Peer::tcp, reset_at_once,
     "  - connect: {}\n  - expect-eof: {within: 1s}\n", kFail, "expect-eof",
     "the connection was reset (RST), not closed"},
    {"ExpectEofStaysOpen", Peer::tcp, hold_open,
     "  - connect: {}\n  - expect-eof: {within: 100ms}\n", kFail, "expect-eof",
     "the connection stayed open for 100ms"},
    {"ExpectReset", Peer::tcp, reset_at_once, "  - connect: {}\n  - expect-reset: {}\n", kPass, "",
     ""},
    {"ExpectResetGetsFin", Peer::tcp, say_then_close(""),
     "  - connect: {}\n  - expect-reset: {within: 1s}\n", kFail, "expect-reset",
     "an orderly close (FIN)"},
    {"ExpectResetStaysOpen", Peer::tcp, hold_open,
     "  - connect: {}\n  - expect-reset: {within: 100ms}\n", kFail, "expect-reset",
     "the connection stayed open for 100ms"},
    {"ExpectSilence", Peer::tcp, hold_open, "  - connect: {}\n  - expect-silence: {for: 100ms}\n",
     kPass, "", ""},
    {"ExpectSilenceGetsData", Peer::tcp, say_then_hold("x"),
     "  - connect: {}\n  - expect-silence: {for: 1s}\n", kFail, "expect-silence", "data \"x\""},
    {"ExpectSilenceGetsUnreadData", Peer::tcp, say_then_hold("xy"),
     "  - connect: {}\n  - expect: {text: x}\n  - expect-silence: {for: 1s}\n", kFail,
     "expect-silence", "unread data \"y\""},
    {"ExpectSilenceGetsEof", Peer::tcp, say_then_close(""),
     "  - connect: {}\n  - expect-silence: {for: 1s}\n", kFail, "expect-silence",
     "EOF: the peer closed the connection"},
    {"ExpectSilenceAfterEof", Peer::tcp, say_then_close(""),
     "  - connect: {}\n  - expect-eof: {}\n  - expect-silence: {for: 1s}\n", kFail,
     "expect-silence", "EOF, earlier"},
    {"ExpectSilenceGetsReset", Peer::tcp, reset_at_once,
     "  - connect: {}\n  - expect-silence: {for: 1s}\n", kFail, "expect-silence",
     "the connection was reset"},
    {"ShutdownWrite", Peer::tcp, echo,
     "  - connect: {}\n  - send: {text: hi}\n  - shutdown: write\n  - expect: {text: hi}\n"
     "  - expect-eof: {}\n",
     kPass, "", ""},
    {"Abort", Peer::tcp, echo, "  - connect: {}\n  - abort: {}\n", kPass, "", ""},
    {"Close", Peer::tcp, echo, "  - connect: {}\n  - close: {}\n", kPass, "", ""},
};

const Row kUdpRows[] = {
    {"BindSendToExpectDatagram", Peer::udp_echo, nullptr,
     "  - bind: {}\n  - send-to: {text: ping}\n  - expect-datagram: {text: ping}\n"
     "  - expect-no-datagram: {for: 100ms}\n",
     kPass, "", ""},
    {"ExpectDatagramWrongPayload", Peer::udp_echo, nullptr,
     "  - bind: {}\n  - send-to: {text: ping}\n  - expect-datagram: {text: pong, within: 1s}\n",
     kFail, "expect-datagram", "ping"},
    {"ExpectDatagramFromAnotherPort", Peer::udp_other, nullptr,
     "  - bind: {}\n  - send-to: {text: ping}\n  - expect-datagram: {text: ping, within: 1s}\n",
     kFail, "expect-datagram", "a datagram from 127.0.0.1:"},
    {"ExpectDatagramGetsNone", Peer::udp_closed, nullptr,
     "  - bind: {}\n  - send-to: {text: ping}\n  - expect-datagram: {text: ping, within: 100ms}\n",
     kFail, "expect-datagram", "no datagram within 100ms"},
    {"ExpectNoDatagramGetsOne", Peer::udp_echo, nullptr,
     "  - bind: {}\n  - send-to: {text: ping}\n  - expect-no-datagram: {for: 1s}\n", kFail,
     "expect-no-datagram", "a datagram from 127.0.0.1:"},
};

// Against a server the harness did not start, a lifecycle step has nothing to act on.
Row skipped(std::string name, std::string kind, std::string body) {
  return {std::move(name),
          Peer::tcp,
          echo,
          "  - " + kind + ": " + body + "\n",
          Verdict::skip,
          "",
          "step '" + kind + "' needs a target the harness starts (--connect given)"};
}

const Row kLifecycleRows[] = {
    skipped("StartInstance", "start-instance", "{as: second}"),
    skipped("Stop", "stop", "{}"),
    skipped("Restart", "restart", "{}"),
    skipped("ExpectAlive", "expect-alive", "{}"),
    skipped("ExpectExit", "expect-exit", "{}"),
    skipped("ExpectEndpoint", "expect-endpoint", "{non-zero: true}"),
    skipped("ExpectStartFailure", "expect-start-failure", "{}"),
    skipped("Census", "census", "{as: before}"),
};

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Tcp, StepOutcome, ::testing::ValuesIn(kTcpRows), row_name);
INSTANTIATE_TEST_SUITE_P(Udp, StepOutcome, ::testing::ValuesIn(kUdpRows), row_name);
INSTANTIATE_TEST_SUITE_P(Lifecycle, StepOutcome, ::testing::ValuesIn(kLifecycleRows), row_name);

}  // namespace
}  // namespace sockspec::engine::step_tests
