// Exchanges and LiveTarget against live servers: the reference epoll server answers as the model
// says in every mode; the victim's planted bugs show as broken, hang and gone (then died).
#include "harness/blackbox/exchange.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/blackbox/judge.hpp"
#include "harness/blackbox/tests/live_helpers.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct ModeCase {
  Mode mode;
  std::string service;
  std::string input;
  std::string reply;
};

TEST(Exchange, ReferenceServerAnswersAsTheModelInEveryMode) {
  const ModeCase cases[] = {
      {Mode::persistent, "echo", "hello", "hello"},
      {Mode::per_connection, "echo", "hello", "hello"},
      {Mode::datagram, "echo", "hello", "hello"},
      {Mode::persistent, "line", "PING\n", "+PONG\r\n"},
      {Mode::per_connection, "line", "ECHO x\n", "+x\r\n"},
      {Mode::datagram, "line", "LEN abc", "+3\r\n"},
      {Mode::persistent, "discard", "dropped", ""},
      {Mode::datagram, "discard", "dropped", ""},
  };
  for (const ModeCase& c : cases) {
    SCOPED_TRACE(std::string(mode_name(c.mode)) + " " + c.service);
    auto target = test::start_live(test::kReference, c.service, c.mode);
    ASSERT_TRUE(target) << target.error().message;
    Exchange exchange(test::exchange_options(c.mode, c.service));
    EXPECT_TRUE(exchange.has_model());
    const std::size_t segments[] = {1, 2, 100};
    for (int round = 0; round < 3; ++round) {
      const Exchanged e = exchange.run(target->endpoint(), c.input, segments);
      EXPECT_EQ(e.verdict, Verdict::ok) << e.detail;
      EXPECT_EQ(e.reply, c.reply);
    }
    EXPECT_EQ(exchange.history().size(), c.mode == Mode::persistent ? 3U
                                         : c.mode == Mode::datagram ? 3U
                                                                    : 1U);
  }
}

TEST(Exchange, PersistentReconnectsAfterQuitAndAfterMaxHistory) {
  auto target = test::start_live(test::kReference, "line", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  ExchangeOptions o = test::exchange_options(Mode::persistent, "line");
  o.max_history = 2;
  Exchange exchange(o);
  const Exchanged quit = exchange.run(target->endpoint(), "QUIT\n");
  EXPECT_EQ(quit.verdict, Verdict::ok) << quit.detail;
  EXPECT_TRUE(quit.closed);
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(exchange.run(target->endpoint(), "PING\n").verdict, Verdict::ok);
  EXPECT_EQ(exchange.history().size(), 2U);
  EXPECT_EQ(exchange.run(target->endpoint(), "PING\n").verdict, Verdict::ok);
  EXPECT_EQ(exchange.history().size(), 1U);  // a new connection after max_history inputs
}

TEST(Exchange, ServicesWithoutAModelAreJudgedOnLivenessOnly) {
  auto target = test::start_live(test::kReference, "daytime", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  Exchange exchange(test::exchange_options(Mode::persistent, "daytime"));
  EXPECT_FALSE(exchange.has_model());
  for (int i = 0; i < 5; ++i) {
    const Exchanged e = exchange.run(target->endpoint(), "x");
    EXPECT_FALSE(judge(e, *target, false).kind.has_value()) << e.detail;
  }
}

TEST(Exchange, VictimFlipIsBrokenInEveryMode) {
  for (const Mode mode : {Mode::persistent, Mode::per_connection, Mode::datagram}) {
    SCOPED_TRACE(mode_name(mode));
    auto target = test::start_live(test::kVictim, "echo", mode);
    ASSERT_TRUE(target) << target.error().message;
    Exchange exchange(test::exchange_options(mode, "echo"));
    EXPECT_EQ(exchange.run(target->endpoint(), "fine").verdict, Verdict::ok);
    const Exchanged e = exchange.run(target->endpoint(), "xFLIPx");
    EXPECT_EQ(e.verdict, Verdict::broken);
    EXPECT_THAT(e.detail, HasSubstr("byte 0"));
    EXPECT_EQ(judge(e, *target, true).kind, FindingKind::oracle);
  }
}

TEST(Exchange, VictimHangIsAHangWithinTheReplyTimeout) {
  for (const Mode mode : {Mode::persistent, Mode::per_connection, Mode::datagram}) {
    SCOPED_TRACE(mode_name(mode));
    auto target = test::start_live(test::kVictim, "echo", mode);
    ASSERT_TRUE(target) << target.error().message;
    ExchangeOptions o = test::exchange_options(mode, "echo");
    o.reply_timeout = 200ms;
    Exchange exchange(o);
    const auto start = std::chrono::steady_clock::now();
    const Exchanged e = exchange.run(target->endpoint(), "HANG");
    EXPECT_EQ(e.verdict, Verdict::hang) << e.detail;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_EQ(judge(e, *target, true).kind, FindingKind::hang);
  }
}

TEST(Exchange, VictimCrashIsADeathAndARestartServesAgain) {
  for (const Mode mode : {Mode::persistent, Mode::per_connection, Mode::datagram}) {
    SCOPED_TRACE(mode_name(mode));
    auto target = test::start_live(test::kVictim, "echo", mode);
    ASSERT_TRUE(target) << target.error().message;
    Exchange exchange(test::exchange_options(mode, "echo"));
    const Exchanged e = exchange.run(target->endpoint(), "CRASH");
    EXPECT_NE(e.verdict, Verdict::ok);
    const Judgement j = judge(e, *target, true);
    EXPECT_EQ(j.kind, FindingKind::died) << e.detail;
    EXPECT_THAT(j.detail, HasSubstr("SIGABRT"));
    EXPECT_THAT(target->stderr_tail(), HasSubstr("CRASH received"));
    ASSERT_TRUE(target->restart());
    EXPECT_EQ(target->restarts(), 1U);
    exchange.reset();
    EXPECT_EQ(exchange.run(target->endpoint(), "again").verdict, Verdict::ok);
  }
}

TEST(Replay, ReproducesOnAFreshTargetAndPassesWithoutTheTrigger) {
  auto target = test::start_live(test::kVictim, "echo", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  const ExchangeOptions o = test::exchange_options(Mode::persistent, "echo");
  EXPECT_EQ(replay({"a", "CRA", "SH"}, *target, o).judgement.kind, FindingKind::died);
  EXPECT_FALSE(replay({"a", "b"}, *target, o).judgement.kind.has_value());
  EXPECT_EQ(target->restarts(), 2U);
}

}  // namespace
}  // namespace sockspec::blackbox
