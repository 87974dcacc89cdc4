// The run command's stability flags: --repeat N, --verify, --verify=N, and how they combine; "-"
// (stdout) for one report at most; `report merge`'s command line.
#include "harness/cli/options.hpp"

#include <gtest/gtest.h>

#include "harness/cli/commands.hpp"
#include "harness/engine/stability.hpp"

namespace sockspec::cli {
namespace {

CommandLine parse(std::vector<const char*> args) {
  args.insert(args.begin(), {"sockspec", "run"});
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(RunOptions, WithoutStabilityFlagsEachCaseRunsOnce) {
  const CommandLine c = parse({"x.yaml"});
  ASSERT_FALSE(c.exit_code.has_value());
  EXPECT_EQ(c.run.repeat, 1U);
  EXPECT_FALSE(c.run.verify);
}

TEST(RunOptions, RepeatAloneIsOnePassOfNRuns) {
  const CommandLine c = parse({"x.yaml", "--repeat", "4"});
  EXPECT_EQ(c.run.repeat, 4U);
  EXPECT_FALSE(c.run.verify);
}

TEST(RunOptions, VerifyIsRoundsDefaultCountOrTheOneGiven) {
  CommandLine c = parse({"--verify", "x.yaml"});  // a flag: the path after it stays a path
  EXPECT_EQ(c.run.repeat, engine::kDefaultVerifyRuns);
  EXPECT_TRUE(c.run.verify);
  EXPECT_EQ(c.run.select.paths, std::vector<std::string>{"x.yaml"});
  c = parse({"x.yaml", "--verify=3"});
  EXPECT_EQ(c.run.repeat, 3U);
  EXPECT_TRUE(c.run.verify);
  c = parse({"x.yaml", "--verify", "--repeat", "7"});
  EXPECT_EQ(c.run.repeat, 7U);
  EXPECT_TRUE(c.run.verify);
}

TEST(RunOptions, TwoDifferentCountsOrAnOutOfRangeOneAreUsageErrors) {
  EXPECT_EQ(parse({"x.yaml", "--verify=3", "--repeat", "5"}).exit_code, kExitUsage);
  EXPECT_EQ(parse({"x.yaml", "--repeat", "0"}).exit_code, kExitUsage);
  EXPECT_EQ(parse({"x.yaml", "--repeat", "1001"}).exit_code, kExitUsage);
  EXPECT_EQ(parse({"x.yaml", "--verify=1001"}).exit_code, kExitUsage);
}

CommandLine parse_any(std::vector<const char*> args) {
  args.insert(args.begin(), {"sockspec"});  // a range: GCC 12 warns of one element
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(ReportFlags, OneReportMayGoToStdout) {
  EXPECT_FALSE(parse_any({"run", "x.yaml", "--json", "-", "--junit", "r.xml"}).exit_code);
  EXPECT_FALSE(parse_any({"fuzz", "--sarif", "-", "--json", "f.json"}).exit_code);
  EXPECT_FALSE(parse_any({"report", "merge", "a.json", "--html", "-"}).exit_code);
}

TEST(ReportFlags, TwoReportsOnStdoutAreAUsageError) {
  EXPECT_EQ(parse_any({"run", "x.yaml", "--json", "-", "--junit", "-"}).exit_code, kExitUsage);
  EXPECT_EQ(parse_any({"fuzz", "--sarif", "-", "--json", "-"}).exit_code, kExitUsage);
  EXPECT_EQ(parse_any({"report", "merge", "a.json", "--html", "-", "--json", "-"}).exit_code,
            kExitUsage);
}

TEST(ReportMergeOptions, TakesTheReportsAndTheOutputs) {
  const CommandLine c =
      parse_any({"report", "merge", "a.json", "b.json", "--junit", "j.xml", "--json", "-"});
  ASSERT_FALSE(c.exit_code.has_value());
  EXPECT_EQ(c.command, "report merge");
  EXPECT_EQ(c.report_merge.inputs, (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(c.report_merge.junit, "j.xml");
  EXPECT_TRUE(c.report_merge.report_on_stdout());
  EXPECT_EQ(parse_any({"report", "merge"}).exit_code, kExitUsage);  // no report
  EXPECT_EQ(parse_any({"report"}).exit_code, kExitUsage);           // no action
}

}  // namespace
}  // namespace sockspec::cli
