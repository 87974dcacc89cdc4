// Tests of the closing recap on the sample runs: which cases, in which order, what each says.
#include "harness/report/console_recap.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Verdict> verdicts(const std::vector<RecapEntry>& entries) {
  std::vector<Verdict> v;
  for (const RecapEntry& e : entries) v.push_back(e.verdict);
  return v;
}

TEST(Recap, EveryProblemCaseFailuresFirstNonStrictLast) {
  const std::vector<RecapEntry> entries = recap(testing::sample_run());
  EXPECT_THAT(verdicts(entries),
              ElementsAre(Verdict::fail, Verdict::xpass, Verdict::error, Verdict::non_strict));
  EXPECT_EQ(entries[0].headline,
            "str/echo [reference-epoll, ipv6]: conformance/tcp/str/echo.yaml:12:5: expect: "
            "expected bytes equal to the 18 sent; observed EOF after 3 bytes");
  EXPECT_EQ(entries[0].reproduce,
            "sockspec run conformance/tcp/str/echo.yaml --id str/echo --target reference-epoll "
            "--family ipv6");
  EXPECT_EQ(entries[1].headline,
            "str/half-close [broken-close, ipv4]: passed, but the profile expects it to fail: "
            "closes early");
  EXPECT_EQ(entries[2].headline,
            "str/echo [broken-close, ipv6]: the target did not start: exit status 3");
  EXPECT_THAT(entries[3].headline, HasSubstr("[reference-epoll, ipv4]: conformance/tcp/str/"
                                             "half-close.yaml:9:5: expect-eof: expected EOF"));
  EXPECT_THAT(entries[3].reproduce, HasSubstr("--family ipv4"));
  for (const RecapEntry& e : entries) EXPECT_TRUE(e.detail.empty());
}

TEST(Recap, NonStrictIsListedInAStrictRunTooWithStrictInItsCommand) {
  engine::RunResult run = testing::sample_run();
  run.info.strict = true;
  const std::vector<RecapEntry> entries = recap(run);
  ASSERT_EQ(entries.size(), 4U);
  EXPECT_TRUE(entries[3].reproduce.ends_with(" --strict")) << entries[3].reproduce;
}

TEST(Recap, FlakyCasesCarryEachRunAndRepeatTheirRuns) {
  const std::vector<RecapEntry> entries = recap(testing::sample_stability_run());
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].verdict, Verdict::flaky);
  EXPECT_EQ(entries[0].headline,
            "cli/udp-sequential-runs [reference-client, ipv6]: verdicts differ over 3 runs: pass "
            "in runs 1, 3; fail in run 2");
  ASSERT_GE(entries[0].detail.size(), 2U);
  EXPECT_EQ(entries[0].detail[0], "run 1: pass");
  EXPECT_TRUE(entries[0].reproduce.ends_with(" --family ipv6 --repeat 3")) << entries[0].reproduce;
}

TEST(Recap, NothingWhenEveryCasePassedCleanly) {
  engine::RunResult run = testing::sample_run();
  std::erase_if(run.cases, [](const engine::CaseResult& c) {
    return c.verdict != Verdict::pass && c.verdict != Verdict::skip && c.verdict != Verdict::xfail;
  });
  EXPECT_TRUE(recap(run).empty());
}

TEST(Recap, ALongDiagnosticIsCutToOneBoundedLine) {
  engine::RunResult run = testing::sample_run();
  run.cases[1].failure->observed = std::string(1000, 'x') + "\nsecond line";
  const std::vector<RecapEntry> entries = recap(run);
  EXPECT_EQ(entries[0].headline.size(), kRecapLineMax);
  EXPECT_TRUE(entries[0].headline.ends_with("..."));
  EXPECT_EQ(entries[0].headline.find('\n'), std::string::npos);
}

TEST(Recap, ALongExpectationGivesWayToWhatWasObserved) {
  engine::RunResult run = testing::sample_run();
  run.cases[1].failure->expected = "65536 bytes \"" + std::string(400, 'a') + "\"";
  run.cases[1].failure->observed = "byte 3 is \"x\", not \"a\"";
  const std::vector<RecapEntry> entries = recap(run);
  EXPECT_EQ(entries[0].headline,
            "str/echo [reference-epoll, ipv6]: conformance/tcp/str/echo.yaml:12:5: expect: "
            "observed byte 3 is \"x\", not \"a\"");
}

}  // namespace
}  // namespace sockspec::report
