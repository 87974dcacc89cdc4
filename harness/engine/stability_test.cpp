// Stability mode: a case's runs merged into one result; differing verdicts make it flaky.
#include "harness/engine/stability.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sockspec::engine {
namespace {

using ::testing::HasSubstr;

CaseResult run_with(unsigned run, Verdict verdict, std::string reason = {}) {
  CaseResult r;
  r.scenario_id = "cli/udp-sequential-runs";
  r.target = "reference-client";
  r.run = run;
  r.verdict = verdict;
  r.reason = std::move(reason);
  r.elapsed = std::chrono::milliseconds(10 * run);
  TranscriptEntry entry;
  entry.text = "transcript of run " + std::to_string(run);
  r.transcript.push_back(entry);
  return r;
}

TEST(MergeRuns, TheSameVerdictEveryRunIsThatVerdictWithEveryRunKept) {
  const CaseResult merged =
      merge_runs({run_with(1, Verdict::fail, "a"), run_with(2, Verdict::fail, "b")});
  EXPECT_EQ(merged.verdict, Verdict::fail);
  EXPECT_EQ(merged.reason, "b");  // the last run's
  ASSERT_EQ(merged.runs.size(), 2U);
  EXPECT_EQ(merged.runs[0].run, 1U);
  EXPECT_EQ(merged.runs[0].reason, "a");
  EXPECT_EQ(merged.runs[1].elapsed, std::chrono::milliseconds(20));
}

TEST(MergeRuns, DifferingVerdictsAreFlakyWithEachRunsDiagnostic) {
  Failure failure;
  failure.step = "expect-client";
  failure.expected = "stdout: \"ok 3\"";
  failure.observed = "stdout: nothing";
  CaseResult odd = run_with(3, Verdict::fail, "stdout differs");
  odd.failure = failure;
  const CaseResult merged = merge_runs({run_with(1, Verdict::pass), run_with(2, Verdict::pass),
                                        std::move(odd), run_with(4, Verdict::pass)});
  EXPECT_EQ(merged.verdict, Verdict::flaky);
  EXPECT_EQ(merged.reason, "verdicts differ over 4 runs: pass in runs 1, 2, 4; fail in run 3");
  ASSERT_EQ(merged.runs.size(), 4U);
  EXPECT_EQ(merged.runs[2].verdict, Verdict::fail);
  ASSERT_TRUE(merged.runs[2].failure.has_value());
  EXPECT_EQ(merged.runs[2].failure->observed, "stdout: nothing");
  // The details shown are the odd run's.
  ASSERT_FALSE(merged.transcript.empty());
  EXPECT_EQ(merged.transcript.front().text, "transcript of run 3");
  const std::vector<const RunOutcome*> firsts = first_of_each_verdict(merged.runs);
  ASSERT_EQ(firsts.size(), 2U);
  EXPECT_EQ(firsts[0]->run, 1U);
  EXPECT_EQ(firsts[1]->run, 3U);
}

TEST(MergeRuns, AnyDifferenceIsFlakyNotOnlyPassAgainstFail) {
  const CaseResult merged =
      merge_runs({run_with(1, Verdict::xfail, "known"), run_with(2, Verdict::error, "no start")});
  EXPECT_EQ(merged.verdict, Verdict::flaky);
  EXPECT_THAT(merged.reason, HasSubstr("xfail in run 1; error in run 2"));
}

TEST(MergeRuns, OneRunIsItself) {
  const CaseResult merged = merge_runs({run_with(1, Verdict::skip, "no ipv6")});
  EXPECT_EQ(merged.verdict, Verdict::skip);
  EXPECT_EQ(merged.runs.size(), 1U);
}

TEST(CaseRuns, RunsAddedOutOfOrderMergeInRunOrderKeepingTheRightResults) {
  CaseRuns runs;  // a rerun alone ends after the later runs of its case
  runs.add(run_with(2, Verdict::pass));
  runs.add(run_with(3, Verdict::pass));
  runs.add(run_with(1, Verdict::fail, "first"));
  const CaseResult merged = std::move(runs).merge();
  EXPECT_EQ(merged.verdict, Verdict::flaky);
  EXPECT_EQ(merged.reason, "verdicts differ over 3 runs: fail in run 1; pass in runs 2, 3");
  EXPECT_EQ(merged.transcript.front().text, "transcript of run 1");

  CaseRuns same;
  same.add(run_with(3, Verdict::pass));
  same.add(run_with(1, Verdict::pass));
  same.add(run_with(2, Verdict::pass));
  const CaseResult last = std::move(same).merge();
  EXPECT_EQ(last.verdict, Verdict::pass);
  EXPECT_EQ(last.transcript.front().text, "transcript of run 3");
  ASSERT_EQ(last.runs.size(), 3U);
  EXPECT_EQ(last.runs[0].run, 1U);
}

}  // namespace
}  // namespace sockspec::engine
