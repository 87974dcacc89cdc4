// Tests of the JSON report read back: a lossless round trip, and one-line errors naming the file
// and the field.
#include "harness/report/json_read.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/report/json.hpp"
#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

engine::RunResult sample_with_everything() {
  engine::RunResult run = testing::sample_run();
  run.info.version = "0.1.0";
  run.info.target_args = {"--target reference-epoll", "--cmd './broken {port}' --ready proc"};
  run.info.data_root_args = "--data-root /srv/data";
  run.info.shard = "2/3";
  run.info.runs = 7;
  run.cases[0].requirements = {"STR-1", "MYPROTO-1"};
  run.info.requirements = {{"MYPROTO-1", scenario::Level::should, "answers <politely>"}};
  return run;
}

TEST(JsonRead, WriterReaderWriterIsTheSameDocument) {
  for (const engine::RunResult& run : {sample_with_everything(), testing::sample_stability_run()}) {
    SCOPED_TRACE(run.info.targets.front());
    const nlohmann::json doc = to_json(run);
    const net::Result<engine::RunResult> read = from_json(doc);
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(to_json(*read), doc);
  }
}

TEST(JsonRead, ReadsBackWhatTheReportersNeed) {
  const engine::RunResult run = sample_with_everything();
  const net::Result<engine::RunResult> read = from_json(to_json(run));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->info.version, "0.1.0");
  EXPECT_EQ(read->info.target_args, run.info.target_args);
  EXPECT_EQ(read->info.data_root_args, "--data-root /srv/data");
  EXPECT_EQ(read->counts.total(), 7U);
  EXPECT_EQ(read->counts.non_strict, 1U);
  ASSERT_EQ(read->cases.size(), 7U);
  EXPECT_EQ(read->cases[1].transcript[1].text, testing::kBinaryBytes);  // bytes, unescaped
  EXPECT_EQ(read->cases[1].failure->where.line, 12U);
  EXPECT_EQ(read->cases[0].target_start, run.cases[0].target_start);
  EXPECT_EQ(read->cases[2].first_run, run.cases[2].first_run);
  // The pack's STR-1 is written down with the report's own MYPROTO-1.
  ASSERT_EQ(read->info.requirements.size(), 3U);  // STR-1, MYPROTO-1, SVC-1
  EXPECT_EQ(read->info.requirements[1].id, "MYPROTO-1");
  EXPECT_EQ(read->info.requirements[1].level, scenario::Level::should);
  EXPECT_EQ(read->info.requirements[1].text, "answers <politely>");
}

// The error of reading `text` as the report file `name` in a fresh folder.
std::string read_error(const std::string& name, const std::string& text) {
  testing::TempDir dir;
  const std::string path = (dir.path() / name).string();
  std::ofstream(path) << text;
  const net::Result<engine::RunResult> read = read_json_report(path);
  EXPECT_FALSE(read.ok());
  if (read.ok()) return {};
  // Relative to the folder, for the expectations.
  std::string message = read.error().message;
  EXPECT_THAT(message, StartsWith(path));
  return message.erase(0, dir.path().string().size() + 1);
}

TEST(JsonRead, MalformedJsonIsOneLineWithTheFileLineAndColumn) {
  const std::string message = read_error("shard-1.json", "{\"sockspec\": 1,\n  \"run\": }\n");
  EXPECT_THAT(message, StartsWith("shard-1.json:2:10: invalid JSON: "));
  EXPECT_THAT(message, HasSubstr("syntax error"));
  EXPECT_THAT(message, Not(HasSubstr("\n")));
  EXPECT_THAT(read_error("empty.json", ""), StartsWith("empty.json:1:1: invalid JSON: "));
}

TEST(JsonRead, WrongFieldsNameTheFileAndTheField) {
  nlohmann::json doc = to_json(testing::sample_run());
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> spoil;
    std::string error;
  };
  const Case cases[] = {
      {"not a report", [](nlohmann::json& d) { d = nlohmann::json::array(); },
       "r.json: not a sockspec JSON report (no \"sockspec\" key)"},
      {"newer layout", [](nlohmann::json& d) { d["sockspec"] = 7; },
       "r.json: layout version 7, this sockspec reads 1"},
      {"verdict", [](nlohmann::json& d) { d["cases"][3]["verdict"] = "maybe"; },
       "r.json: cases[3].verdict: unknown verdict \"maybe\""},
      {"targets", [](nlohmann::json& d) { d["run"]["targets"] = 3; },
       "r.json: run.targets: expected an array"},
      {"missing", [](nlohmann::json& d) { d["cases"][0].erase("family"); },
       "r.json: cases[0].family: missing"},
      {"escape", [](nlohmann::json& d) { d["cases"][1]["transcript"][1]["text"] = "a\\x4"; },
       "r.json: cases[1].transcript[1].text: a \\x escape without two hex digits"},
      {"failure", [](nlohmann::json& d) { d["cases"][1]["failure"]["line"] = -1; },
       "r.json: cases[1].failure.line: expected a number >= 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    nlohmann::json spoilt = doc;
    c.spoil(spoilt);
    EXPECT_EQ(read_error("r.json", spoilt.dump()), c.error);
  }
}

TEST(JsonRead, AMissingFileNamesThePath) {
  const net::Result<engine::RunResult> read = read_json_report("/nonexistent/r.json");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "/nonexistent/r.json: No such file or directory (ENOENT)");
}

}  // namespace
}  // namespace sockspec::report
