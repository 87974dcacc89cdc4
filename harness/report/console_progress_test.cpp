// Tests of the console's progress: short names, the ETA from expected durations, the live line
// within the terminal's width, and the heartbeat line.
#include "harness/report/console_progress.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Clock = Progress::Clock;

engine::CaseResult planned(std::string id, scenario::Family family = scenario::Family::ipv4,
                           std::chrono::milliseconds expected = 10s) {
  engine::CaseResult c;
  c.scenario_id = std::move(id);
  c.target = "reference-epoll";
  c.family = family;
  c.expected = expected;
  return c;
}

engine::RunInfo info(std::size_t cases, std::chrono::milliseconds expected) {
  engine::RunInfo i;
  i.targets = {"reference-epoll"};
  i.cases = cases;
  i.expected = expected;
  return i;
}

TEST(ShortCaseName, IdFamilyAndTargetWhenSeveral) {
  engine::CaseResult c = planned("str/echo");
  EXPECT_EQ(short_case_name(c, false), "str/echo");
  EXPECT_EQ(short_case_name(c, true), "str/echo[reference-epoll]");
  c.family = scenario::Family::ipv6;
  EXPECT_EQ(short_case_name(c, false), "str/echo[v6]");
  EXPECT_EQ(short_case_name(c, true), "str/echo[reference-epoll,v6]");
  c.scenario_id = "lifecycle/a-very-long-scenario-identifier-of-many-words";
  const std::string name = short_case_name(c, false);
  EXPECT_EQ(name, "lifecycle/a-ver~er-of-many-words[v6]");
  EXPECT_EQ(name.size(), kShortIdMax + 4);
}

TEST(FormatEta, SecondsMinutesHours) {
  EXPECT_EQ(format_eta(0ms), "0s");
  EXPECT_EQ(format_eta(44600ms), "45s");
  EXPECT_EQ(format_eta(80s), "1m20s");
  EXPECT_EQ(format_eta(7500s), "2h05m");
}

TEST(Progress, EtaIsTheExpectedWorkLeftAtThePaceSoFar) {
  const Clock::time_point t0{};
  Progress p(info(4, 40s), t0);
  EXPECT_FALSE(p.eta(t0).has_value());  // nothing done yet: no pace
  p.started(planned("a"), t0);
  p.started(planned("b"), t0);
  // After 5 s two cases ran 5 s each: 10 s of the 40 s of work in 5 s; 30 s left at twice the
  // speed of one case after another.
  EXPECT_EQ(p.eta(t0 + 5s), 15s);
  p.ended(planned("a"));
  p.ended(planned("b"));
  EXPECT_EQ(p.done(), 2U);
  EXPECT_EQ(p.running(), 0U);
  EXPECT_EQ(p.eta(t0 + 10s), 10s);  // 20 s of work in 10 s, 20 s left
  p.started(planned("c"), t0 + 10s);
  p.ended(planned("c"));
  p.started(planned("d"), t0 + 10s);
  p.ended(planned("d"));
  EXPECT_EQ(p.eta(t0 + 20s), 0s);  // every case done
}

TEST(Progress, EtaIsAtLeastWhatTheLongestRunningCaseStillNeeds) {
  const Clock::time_point t0{};
  Progress p(info(30, 38s), t0);
  // 28 brief cases done at once beside a 10 s one: at that pace the 4 s of work left would take
  // 1 s, but the long case still needs 8 s.
  p.started(planned("long", scenario::Family::ipv4, 10s), t0);
  for (int i = 0; i < 28; ++i) {
    p.started(planned("b/" + std::to_string(i), scenario::Family::ipv4, 1s), t0);
    p.ended(planned("b/" + std::to_string(i)));
  }
  EXPECT_EQ(p.eta(t0 + 2s), 8s);
}

TEST(Progress, NoEtaWithoutExpectedDurations) {
  const Clock::time_point t0{};
  Progress p(info(2, 0s), t0);
  p.started(planned("a", scenario::Family::ipv4, 0s), t0);
  EXPECT_FALSE(p.eta(t0 + 5s).has_value());
  EXPECT_THAT(p.heartbeat_line(t0 + 5s), HasSubstr("ETA unknown"));
}

TEST(Progress, LiveLineShowsDoneEtaFailingAndRunningLongestFirst) {
  const Clock::time_point t0{};
  Progress p(info(120, 1200s), t0);
  engine::CaseResult failed = planned("x/failed");
  failed.verdict = engine::Verdict::fail;
  p.started(failed, t0);
  p.ended(failed);
  p.started(planned("str/echo"), t0 + 1s);
  p.started(planned("str/half-close", scenario::Family::ipv6), t0);
  // 19 s of the 1200 s done in 5 s: 1181 s left at that pace.
  EXPECT_EQ(p.live_line(t0 + 5s, 200),
            "[  1/120] ETA 5m11s | 1 failing | 2 running: str/half-close[v6], str/echo");
}

TEST(Progress, LiveLineNeverReachesTheLastColumn) {
  const Clock::time_point t0{};
  Progress p(info(1329, 0s), t0);
  for (int i = 0; i < 30; ++i) p.started(planned("tcp/case-" + std::to_string(i)), t0);
  for (const std::size_t width : {20U, 60U, 80U, 132U}) {
    const std::string line = p.live_line(t0 + 1s, width);
    SCOPED_TRACE(line);
    EXPECT_LT(line.size(), width);
    if (width >= 80) {
      EXPECT_THAT(line, HasSubstr("30 running: tcp/case-0, tcp/case-1"));
      EXPECT_THAT(line, HasSubstr(" more"));
    }
  }
  EXPECT_EQ(p.live_line(t0 + 1s, 60), "[   0/1329] ETA unknown | 30 running: tcp/case-0 +29 more");
  EXPECT_EQ(p.live_line(t0 + 1s, 44), "[   0/1329] ETA unknown | 30 running: tcp/c");
}

TEST(Progress, DeferredCasesStopRunningAndAreCountedUntilTheirRerunEnds) {
  const Clock::time_point t0{};
  Progress p(info(2, 20s), t0);
  p.started(planned("a"), t0);
  p.started(planned("b"), t0);
  p.deferred(planned("a"));
  p.ended(planned("b"));
  EXPECT_EQ(p.running(), 0U);
  EXPECT_EQ(p.done(), 1U);
  EXPECT_EQ(p.live_line(t0 + 10s, 100), "[1/2] ETA 10s | 1 to run again alone");  // a's 10 s
  EXPECT_EQ(p.heartbeat_line(t0 + 10s), "... 1/2 done, 0 running, 1 to run again alone, ETA 10s");
  engine::CaseResult rerun = planned("a");
  rerun.first_run = "fail: beside others";
  p.ended(rerun);
  EXPECT_EQ(p.done(), 2U);
  EXPECT_THAT(p.live_line(t0 + 11s, 100), ::testing::Not(HasSubstr("again alone")));
}

TEST(Progress, HeartbeatNamesAtMostThreeRunningCases) {
  const Clock::time_point t0{};
  Progress p(info(1329, 2658s), t0);
  for (int i = 0; i < 5; ++i) {
    p.started(planned("c/" + std::to_string(i), scenario::Family::ipv4, 2s), t0 + 1s * i);
  }
  for (int i = 0; i < 5; ++i) p.ended(planned("c/" + std::to_string(i)));
  p.started(planned("c/slow"), t0 + 10s);
  p.started(planned("c/late", scenario::Family::ipv6), t0 + 11s);
  // 13 s of the 2658 s done in 12 s: 2645 s left at that pace.
  EXPECT_EQ(p.heartbeat_line(t0 + 12s),
            "... 5/1329 done, 2 running: c/slow, c/late[v6], ETA 40m42s");
  for (int i = 0; i < 3; ++i) p.started(planned("d/" + std::to_string(i)), t0 + 12s);
  EXPECT_THAT(p.heartbeat_line(t0 + 12s),
              HasSubstr("5 running: c/slow, c/late[v6], d/0 +2 more, ETA "));
}

}  // namespace
}  // namespace sockspec::report
