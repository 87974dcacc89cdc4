// Tests of the JSON report: every field, bytes as their lossless escaped form, the file parses.
#include "harness/report/json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/report/test_support.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using nlohmann::json;

TEST(Json, RunAndCaseFields) {
  const json doc = to_json(testing::sample_run());
  EXPECT_EQ(doc["sockspec"], 1);
  const json& run = doc["run"];
  EXPECT_EQ(run["targets"], json::array({"reference-epoll", "broken-close"}));
  EXPECT_EQ(run["cases"], 8);
  EXPECT_EQ(run["jobs"], 2);
  EXPECT_EQ(run["strict"], false);
  EXPECT_EQ(run["started_at"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(run["elapsed_ms"], 1234);
  EXPECT_EQ(run["interrupted"], false);
  EXPECT_EQ(run["counts"]["non-strict"], 1);
  EXPECT_EQ(run["counts"]["total"], 7);
  ASSERT_EQ(doc["cases"].size(), 7U);
  const json& fail = doc["cases"][1];
  EXPECT_EQ(fail["scenario_id"], "str/echo");
  EXPECT_EQ(fail["name"], "str/echo [reference-epoll, ipv6]");
  EXPECT_EQ(fail["family"], "ipv6");
  EXPECT_EQ(fail["verdict"], "fail");
  EXPECT_EQ(fail["requirements"], json::array({"STR-1", "SVC-1"}));
  EXPECT_EQ(fail["failure"]["file"], "conformance/tcp/str/echo.yaml");
  EXPECT_EQ(fail["failure"]["line"], 12);
  EXPECT_EQ(fail["failure"]["column"], 5);
  EXPECT_EQ(fail["failure"]["observed"], "EOF after 3 bytes");
  EXPECT_EQ(fail["elapsed_ms"], 12);
  EXPECT_DOUBLE_EQ(fail["target_start_ms"].get<double>(), 1.234);
  EXPECT_TRUE(doc["cases"][0]["failure"].is_null());
  EXPECT_TRUE(doc["cases"][2]["target_start_ms"].is_null());  // the skip started nothing
  EXPECT_EQ(doc["cases"][2]["first_run"], "fail: t.yaml:3:5: expect: expected x; observed EOF");
  EXPECT_TRUE(doc["cases"][0]["first_run"].is_null());
  const char* verdicts[] = {"pass", "fail", "skip", "xfail", "xpass", "error", "non-strict"};
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(doc["cases"][i]["verdict"], verdicts[i]);
}

TEST(Json, TranscriptBytesAreTheirEscapedForm) {
  const json doc = to_json(testing::sample_run());
  const json& transcript = doc["cases"][1]["transcript"];
  ASSERT_EQ(transcript.size(), 5U);
  EXPECT_EQ(transcript[1]["kind"], "sent");
  EXPECT_EQ(transcript[1]["at_us"], 300);
  EXPECT_EQ(transcript[1]["endpoint"], "c");
  EXPECT_EQ(transcript[1]["text"], "\\0\\xff\\xc3(</script><&>\\\"'");
  EXPECT_EQ(transcript[1]["text"], c_escape(testing::kBinaryBytes));
  EXPECT_EQ(transcript[1]["bytes_total"], 18);
  EXPECT_EQ(transcript[2]["text"], "ab\\xc3");
  EXPECT_EQ(transcript[3]["bytes_total"], 1048576);
  EXPECT_EQ(transcript[4]["kind"], "event");
  EXPECT_EQ(transcript[4]["text"], "EOF");
}

TEST(Json, FileParsesBack) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "report.json").string();
  engine::RunResult run = testing::sample_run();
  run.cases[0].stderr_tail = "invalid \xff\xfe utf-8";
  auto reporter = make_json_reporter(path);
  const net::Status status = reporter->run_end(run);
  ASSERT_TRUE(status.ok()) << status.error().message;
  const json doc = json::parse(testing::read_file(path));  // throws on invalid JSON or UTF-8
  EXPECT_EQ(doc["cases"][0]["stderr_tail"], "invalid \\xff\\xfe utf-8");
  EXPECT_EQ(doc["cases"][1]["transcript"][1]["text"], c_escape(testing::kBinaryBytes));
  EXPECT_EQ(doc, to_json(run));
}

TEST(Json, StabilityModeKeepsEveryRunAndMarksFlakyCases) {
  const json doc = to_json(testing::sample_stability_run());
  EXPECT_EQ(doc["run"]["repeat"], 3);
  EXPECT_EQ(doc["run"]["verify"], true);
  EXPECT_EQ(doc["run"]["counts"]["flaky"], 1);
  EXPECT_EQ(doc["run"]["counts"]["total"], 2);
  const json& flaky = doc["cases"][0];
  EXPECT_EQ(flaky["verdict"], "flaky");
  EXPECT_EQ(flaky["flaky"], true);
  ASSERT_EQ(flaky["runs"].size(), 3U);
  EXPECT_EQ(flaky["runs"][0]["run"], 1);
  EXPECT_EQ(flaky["runs"][0]["verdict"], "pass");
  EXPECT_EQ(flaky["runs"][0]["failure"], nullptr);
  EXPECT_EQ(flaky["runs"][1]["verdict"], "fail");
  EXPECT_EQ(flaky["runs"][1]["reason"], "stdout differs");
  EXPECT_EQ(flaky["runs"][1]["failure"]["observed"], "stdout: nothing");
  EXPECT_EQ(flaky["runs"][1]["elapsed_ms"], 12);
  EXPECT_EQ(flaky["runs"][1]["first_run"], "fail: beside others");
  const json& stable = doc["cases"][1];
  EXPECT_EQ(stable["verdict"], "pass");
  EXPECT_EQ(stable["flaky"], false);
  EXPECT_EQ(stable["runs"].size(), 3U);
}

TEST(Json, OutsideStabilityModeRunsAreEmpty) {
  const json doc = to_json(testing::sample_run());
  EXPECT_EQ(doc["run"]["repeat"], 1);
  EXPECT_EQ(doc["run"]["counts"]["flaky"], 0);
  EXPECT_EQ(doc["cases"][1]["flaky"], false);
  EXPECT_EQ(doc["cases"][1]["runs"], json::array());
}

}  // namespace
}  // namespace sockspec::report
