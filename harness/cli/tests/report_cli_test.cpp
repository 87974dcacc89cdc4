// `sockspec report merge` and "-" (stdout) for report flags, end to end: three shards merged give
// the unsharded run's verdicts; a report on stdout never mixes with the console.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "targets/testing/child_process.hpp"

namespace sockspec {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
namespace fs = std::filesystem;

// Four scenarios, each over ipv4 and ipv6, against the reference server: 2 pass, 2 fail,
// 2 non-strict, 2 skip.
const std::string kMergeData = SOCKSPEC_CLI_TESTDATA "/merge";

// A temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sockspec-report-cli-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

testing::RunResult sockspec(std::vector<std::string> args) {
  args.insert(args.begin(), testing::program_path("sockspec"));
  auto r = testing::run(std::move(args), {}, std::chrono::seconds(60));
  if (r.ok()) return std::move(r).value();
  ADD_FAILURE() << r.error().message;
  return {};
}

// `sockspec run` of the merge scenarios on the reference server, with `extra` flags.
testing::RunResult run_reference(std::vector<std::string> extra) {
  std::vector<std::string> args{"run", kMergeData, "--target",  "reference-epoll",
                                "-j",  "2",        "--timings", "none"};
  args.insert(args.end(), extra.begin(), extra.end());
  return sockspec(std::move(args));
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

// "merge/echo [reference-epoll, ipv4]: pass" for each case, in the report's order.
std::vector<std::string> verdicts(const json& report) {
  std::vector<std::string> out;
  if (!report.is_object()) return out;
  for (const json& c : report["cases"]) {
    out.push_back(c["name"].get<std::string>() + ": " + c["verdict"].get<std::string>());
  }
  return out;
}

TEST(ReportMerge, ThreeShardsGiveTheUnshardedRunsVerdicts) {
  TempDir dir;
  const auto whole = run_reference({"--json", dir.file("whole.json")});
  ASSERT_TRUE(whole.status.exited(1)) << whole.out << whole.err;
  for (const char* k : {"1", "2", "3"}) {
    const auto shard = run_reference({"--shard", std::string(k) + "/3", "--json",
                                      dir.file(std::string("shard-") + k + ".json")});
    ASSERT_FALSE(shard.status.exited(2) || shard.status.exited(3)) << shard.out << shard.err;
  }
  // In any order.
  const auto merged = sockspec({"report", "merge", dir.file("shard-3.json"),
                                dir.file("shard-1.json"), dir.file("shard-2.json"), "--json",
                                dir.file("merged.json"), "--junit", dir.file("merged.xml")});
  EXPECT_TRUE(merged.status.exited(1)) << merged.out << merged.err;  // as the whole run
  EXPECT_THAT(merged.out, StartsWith("2 passed, 2 failed, 2 skipped, 2 non-strict in "));
  EXPECT_EQ(merged.err, "");

  const std::vector<std::string> expected = verdicts(read_json(dir.file("whole.json")));
  ASSERT_EQ(expected.size(), 8U);
  EXPECT_THAT(expected, ::testing::Contains("merge/wrong-should [reference-epoll, ipv6]: "
                                            "non-strict"));
  EXPECT_EQ(verdicts(read_json(dir.file("merged.json"))), expected);
  const json merged_json = read_json(dir.file("merged.json"));
  EXPECT_EQ(merged_json["run"]["cases"], 8);
  EXPECT_EQ(merged_json["run"]["counts"]["total"], 8);
  EXPECT_EQ(merged_json["run"]["shard"], "");
  std::ifstream junit(dir.file("merged.xml"));
  EXPECT_THAT(std::string(std::istreambuf_iterator<char>(junit), {}),
              HasSubstr("<testsuites name=\"sockspec\" tests=\"8\" failures=\"2\" errors=\"0\""));
}

TEST(ReportMerge, RefusesReportsThatDoNotBelongTogetherInOneLine) {
  TempDir dir;
  ASSERT_FALSE(run_reference({"--shard", "1/2", "--json", dir.file("a.json")}).status.exited(2));
  ASSERT_FALSE(
      run_reference({"--shard", "2/2", "--strict", "--json", dir.file("b.json")}).status.exited(2));
  std::ofstream(dir.file("bad.json")) << "{\"sockspec\": 1,\n \"run\": [}";
  // Another pack: the same folder's scenarios, one of them edited.
  fs::copy(kMergeData, dir.file("pack"), fs::copy_options::recursive);
  std::ofstream(dir.file("pack/echo.yaml"), std::ios::app) << "# edited\n";
  const auto other = sockspec({"run", dir.file("pack"), "--target", "reference-epoll", "--timings",
                               "none", "--shard", "2/2", "--json", dir.file("c.json")});
  ASSERT_FALSE(other.status.exited(2)) << other.err;

  struct Case {
    std::vector<std::string> files;
    std::string error;
  };
  const Case cases[] = {
      {{"a.json", "b.json"}, "b.json: --strict differs from " + dir.file("a.json")},
      {{"a.json", "c.json"}, "c.json: made from pack "},
      {{"a.json", "a.json"}, "a.json: case merge/"},  // then "... is also in <dir>/a.json"
      {{"a.json", "bad.json"}, "bad.json:2:10: invalid JSON: "},
      {{"a.json", "missing.json"}, "missing.json: No such file or directory (ENOENT)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error);
    std::vector<std::string> args{"report", "merge"};
    for (const std::string& f : c.files) args.push_back(dir.file(f));
    const auto r = sockspec(args);
    EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
    EXPECT_THAT(r.err, StartsWith("sockspec report merge: " + dir.file("")));
    EXPECT_THAT(r.err, HasSubstr(c.error));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(ReportToStdout, RunWritesTheReportAloneOnStdoutAndTheConsoleOnStderr) {
  TempDir dir;
  const auto r = run_reference({"--id", "merge/echo", "--json", "-", "--junit", dir.file("r.xml")});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  const json report = json::parse(r.out, nullptr, false);  // nothing else on stdout
  ASSERT_FALSE(report.is_discarded()) << r.out;
  EXPECT_EQ(report["run"]["counts"]["pass"], 2);
  EXPECT_THAT(r.err, HasSubstr("2 passed, 0 failed, 0 skipped"));
  EXPECT_FALSE(fs::exists("-"));
  EXPECT_TRUE(fs::exists(dir.file("r.xml")));

  const auto junit = run_reference({"--id", "merge/echo", "--junit", "-"});
  EXPECT_TRUE(junit.status.exited(0)) << junit.out << junit.err;
  EXPECT_THAT(junit.out, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
  EXPECT_THAT(junit.out, Not(HasSubstr("passed")));
}

TEST(ReportToStdout, TwoReportsOnStdoutAreAUsageError) {
  const auto r = run_reference({"--json", "-", "--html", "-"});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
  EXPECT_EQ(r.err,
            "sockspec run: --json and --html both write to stdout ('-'): give '-' to one report "
            "at most\n");
}

TEST(ReportToStdout, MergeWritesTheReportOnStdoutAndTheSummaryOnStderr) {
  TempDir dir;
  ASSERT_FALSE(run_reference({"--shard", "1/2", "--json", dir.file("a.json")}).status.exited(2));
  ASSERT_FALSE(run_reference({"--shard", "2/2", "--json", dir.file("b.json")}).status.exited(2));
  const auto r =
      sockspec({"report", "merge", dir.file("a.json"), dir.file("b.json"), "--json", "-"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  const json report = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  EXPECT_EQ(report["cases"].size(), 8U);
  EXPECT_THAT(r.err, StartsWith("2 passed, 2 failed, 2 skipped, 2 non-strict in "));
}

TEST(ReportToStdout, FuzzWritesSarifOnStdoutAndItsLinesOnStderr) {
  TempDir dir;
  const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--runs", "200", "--time", "10s",
                           "--out", dir.file("findings"), "--seed", "3", "--sarif", "-", "--json",
                           dir.file("fuzz.json")});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  const json log = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(log.is_discarded()) << r.out;
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["name"], "sockspec");
  EXPECT_TRUE(log["runs"][0]["results"].empty());
  EXPECT_THAT(r.err, HasSubstr("fuzz: 200 execs in"));
  EXPECT_EQ(read_json(dir.file("fuzz.json"))["execs"], 200);
}

}  // namespace
}  // namespace sockspec
