// An overnight campaign's needs, end to end: the corpus folder written as inputs are kept and
// resumed from, --jobs workers over one folder (execs summed, findings distinct), the sanitizer
// report beside a finding and its SUMMARY line on the console, the status line's numbers, and
// ci/fuzz-blackbox (the nightly's `sockspec fuzz` campaigns): its argument errors and a tiny run.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/corpus_store.hpp"
#include "harness/blackbox/tests/live_helpers.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::ContainsRegex;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::files_in;
using test::read_json;
using test::run;
using test::sockspec;

std::vector<std::string> lines_with(const std::string& text, const std::string& part) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(part) != std::string::npos) out.push_back(line);
  }
  return out;
}

std::string victim() {
  return test::bin_dir() + "/fuzz_victim {host} {transports}";
}

std::string crash_dict(const test::TempDir& dir) {
  const std::string path = dir.file("crash.dict");
  std::ofstream(path) << "\"CRASH\"\n";
  return path;
}

TEST(FuzzCorpus, EveryKeptInputIsSavedAtOnce) {
  test::TempDir dir;
  auto target = test::start_live(test::kReference, "echo", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  CampaignOptions o;
  o.exchange = test::exchange_options(Mode::persistent, "echo");
  o.max_runs = 1500;
  o.seed = 11;
  o.out_dir = dir.file("out");
  o.log = nullptr;
  o.findings = nullptr;
  o.corpus_folder.dir = dir.path();
  const CampaignResult r = run_campaign(*target, o);
  EXPECT_EQ(r.execs, 1500U);
  ASSERT_TRUE(r.findings.empty());
  // Below the capacity nothing is evicted: the folder holds exactly what was kept beyond the seeds.
  ASSERT_LT(r.corpus, o.corpus_capacity);
  const std::vector<std::string> files = files_in(dir.path());
  EXPECT_EQ(files.size(), r.corpus - builtin_seeds("echo").size());
  auto read = read_corpus_folder(dir.path(), o.max_len);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->bad.empty());
  for (const Messages& input : read->inputs) EXPECT_EQ(input.size(), 1U);
}

TEST(FuzzCorpus, ASecondRunResumesFromTheFirstRunsCorpus) {
  test::TempDir dir;
  const std::string corpus = dir.file("corpus");  // missing: the first --corpus is created
  const auto first =
      sockspec({"fuzz", "--target", "reference-epoll", "--service", "echo", "--runs", "1500",
                "--no-pack-seeds", "--corpus", corpus, "--seed", "3", "--out", dir.file("out")});
  EXPECT_TRUE(first.status.exited(0)) << first.out << first.err;
  const std::size_t kept = files_in(corpus).size();
  ASSERT_GT(kept, 0U);

  const auto second = sockspec({"fuzz", "--target", "reference-epoll", "--service", "echo",
                                "--runs", "1500", "--no-pack-seeds", "--corpus", corpus, "--seed",
                                "4", "--out", dir.file("out"), "--json", dir.file("second.json")});
  EXPECT_TRUE(second.status.exited(0)) << second.out << second.err;
  // The first run's inputs are run again (not merely seeds), so the campaign measures them.
  EXPECT_EQ(read_json(dir.file("second.json"))["imported"], kept);
  EXPECT_THAT(second.out,
              HasSubstr(fmt::format(" seed inputs, {} corpus inputs run first,", kept)));
  EXPECT_GE(files_in(corpus).size(), kept);
}

TEST(FuzzCorpus, ABadFileIsAUsageErrorNamingIt) {
  test::TempDir dir;
  std::ofstream(dir.file("good")) << "hello";
  std::ofstream(dir.file("bad")) << "sockspec-messages 1\n5\nhi\n";
  const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--corpus", dir.path()});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
  EXPECT_EQ(r.err, "sockspec fuzz: --corpus " + dir.file("bad") +
                       ": byte 20: message 1 says 5 bytes, only 3 left\n");
}

TEST(FuzzJobs, TwoWorkersShareOneFolderAndTheirExecsAreSummed) {
  test::TempDir dir;
  const std::string corpus = dir.file("corpus");
  const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--jobs", "2", "--runs", "4000",
                           "--time", "60s", "--corpus", corpus, "--progress", "100ms", "--seed",
                           "5", "--out", dir.file("out"), "--json", dir.file("fuzz.json")});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, ContainsRegex("fuzz: reference-epoll at 127\\.0\\.0\\.1:[0-9]+, "
                                   "127\\.0\\.0\\.1:[0-9]+ .* 2 workers\n"));
  const nlohmann::json doc = read_json(dir.file("fuzz.json"));
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["execs"], 4000);  // --runs is the campaign's: both workers' inputs together
  EXPECT_EQ(doc["workers"], 2);
  EXPECT_THAT(r.out, HasSubstr("fuzz: 4000 execs in"));
  EXPECT_THAT(r.out, HasSubstr(", 2 workers ("));
  EXPECT_GT(files_in(corpus).size(), 0U);
  for (const std::string& line : lines_with(r.err, "fuzz: at ")) {
    EXPECT_THAT(line, HasSubstr(", workers 2")) << line;
  }
}

TEST(FuzzJobs, EachWorkerRunsWhatTheOtherSaved) {
  test::TempDir dir;
  const std::string corpus = dir.file("corpus");
  // Longer than one read-back interval (2 s): each worker reads the other's files once at least.
  const auto r =
      sockspec({"fuzz", "--target", "reference-epoll", "--jobs", "2", "--time", "3s", "--corpus",
                corpus, "--seed", "6", "--out", dir.file("out"), "--json", dir.file("fuzz.json")});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  const nlohmann::json doc = read_json(dir.file("fuzz.json"));
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_GT(doc["imported"].get<std::size_t>(), 0U);
  // Never its own files, never a file twice: at most every file but those one worker saved.
  EXPECT_LE(doc["imported"].get<std::size_t>(), files_in(corpus).size());

  const auto alone = sockspec({"fuzz", "--target", "reference-epoll", "--time", "3s", "--corpus",
                               dir.file("alone"), "--seed", "6", "--out", dir.file("out"), "--json",
                               dir.file("alone.json")});
  EXPECT_TRUE(alone.status.exited(0)) << alone.out << alone.err;
  EXPECT_EQ(read_json(dir.file("alone.json"))["imported"], 0);  // nobody else writes there
}

TEST(FuzzJobs, ABrokenTargetIsFoundOnceByTwoWorkers) {
  test::TempDir dir;
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec({"fuzz",
                           "--cmd",
                           victim(),
                           "--mode",
                           "per-connection",
                           "--jobs",
                           "2",
                           "--dict",
                           crash_dict(dir),
                           "--no-pack-seeds",
                           "--time",
                           "20s",
                           "--minimise-time",
                           "5s",
                           "--out",
                           dir.file("out"),
                           "--json",
                           json,
                           "--seed",
                           "5"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_EQ(lines_with(r.out, "finding: died").size(), 1U) << r.out;
  EXPECT_EQ(files_in(dir.file("out"), ".yaml").size(), 1U);
  const nlohmann::json doc = read_json(json);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["findings"].size(), 1U);
  // The rate is of the fuzzing alone: the minimisation's time is left out.
  const double execs = doc["execs"].get<double>();
  const double fuzzing = doc["seconds"].get<double>() - doc["minimise_seconds"].get<double>();
  EXPECT_GT(doc["minimise_seconds"].get<double>(), 0.0);
  EXPECT_NEAR(doc["execs_per_second"].get<double>(), execs / std::max(fuzzing, 1e-3),
              execs / std::max(fuzzing, 1e-3) * 1e-6);
  EXPECT_THAT(r.out, Not(HasSubstr(" (0 exec/s")));
}

TEST(FuzzJobs, KeepGoingWorkersReportOneFindingPerId) {
  test::TempDir dir;
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec({"fuzz",
                           "--cmd",
                           victim(),
                           "--mode",
                           "per-connection",
                           "--jobs",
                           "2",
                           "--dict",
                           crash_dict(dir),
                           "--no-pack-seeds",
                           "--keep-going",
                           "--time",
                           "6s",
                           "--minimise-time",
                           "3s",
                           "--reply-timeout",
                           "300ms",
                           "--out",
                           dir.file("out"),
                           "--json",
                           json,
                           "--seed",
                           "8"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  const nlohmann::json doc = read_json(json);
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_EQ(doc["findings"].size(), 1U) << r.out;  // CRASH, minimised alike by both workers
  EXPECT_EQ(lines_with(r.out, "finding: ").size(), 1U);
  EXPECT_GE(doc["restarts"].get<int>(), 2);  // found again after the first restart, and again
}

TEST(FuzzStatus, LinesEveryIntervalWithTheCampaignsNumbers) {
  test::TempDir dir;
  const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--time", "1s", "--progress",
                           "200ms", "--seed", "2", "--out", dir.path()});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  const std::vector<std::string> lines = lines_with(r.err, "fuzz: at ");
  EXPECT_GE(lines.size(), 2U) << r.err;
  const std::vector<std::string> end = lines_with(r.err, "fuzz: end ");
  EXPECT_EQ(end.size(), 1U) << r.err;
  std::vector<std::string> all = lines;
  all.insert(all.end(), end.begin(), end.end());
  for (const std::string& line : all) {
    EXPECT_THAT(line, ContainsRegex("^fuzz: (at|end) [0-9.]+s: [1-9][0-9]* execs \\([0-9.]+/s "
                                    "fuzzing\\), corpus [1-9][0-9]*, findings 0, restarts 0, "
                                    "workers 1$"));
  }
  EXPECT_THAT(r.out, ContainsRegex("fuzz: [1-9][0-9]* execs in [0-9.]+ s \\([1-9][0-9.]* exec/s "
                                   "fuzzing, 0\\.0 s minimising\\)"));
}

TEST(SanitizerFinding, TheLineEndsWithTheSummaryAndTheReportIsKeptBeside) {
  if (!fs::exists(fs::path(test::bin_dir()) / "broken-line-log-overflow")) {
    GTEST_SKIP() << "the broken targets are not built in this preset (TSan leaves them out)";
  }
  test::TempDir dir;
  const std::string seeds = dir.file("seeds");
  fs::create_directory(seeds);
  std::ofstream(seeds + "/long-line") << std::string(1100, 'A');
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec(
      {"fuzz", "--target",
       std::string(SOCKSPEC_SOURCE_DIR) + "/targets/broken/profiles/line-log-overflow.yaml",
       "--no-pack-seeds", "--corpus", seeds, "--time", "30s", "--minimise-time", "5s", "--out",
       dir.file("out"), "--json", json, "--seed", "1"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  const std::vector<std::string> found = lines_with(r.out, "finding: died");
  ASSERT_EQ(found.size(), 1U) << r.out;
  // The frame it names is the compiler's choice (GCC's names the memcpy interceptor), and so is
  // its place: "file.cpp:12" symbolized, "(binary+0xa9649) (BuildId: ...)" where the sanitizer
  // runtime finds no symbolizer (the asan preset's Clang build here).
  EXPECT_THAT(found[0], ContainsRegex("\\.yaml; SUMMARY: AddressSanitizer: heap-buffer-overflow "
                                      ".+ in [^ ]+$"));
  const nlohmann::json doc = read_json(json);
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_EQ(doc["findings"].size(), 1U);
  const std::string log = doc["findings"][0]["log"].get<std::string>();
  EXPECT_THAT(log, EndsWith(".log"));
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(),
              ContainsRegex("^==[0-9]+==ERROR: AddressSanitizer: heap-buffer-overflow"));
  EXPECT_THAT(text.str(), HasSubstr("\nSUMMARY: AddressSanitizer: heap-buffer-overflow"));
}

TEST(FuzzJobs, BadJobsAndProgressAreUsageErrors) {
  test::expect_usage_errors({
      {{"fuzz", "--target", "reference-epoll", "--jobs", "0"}, "--jobs"},
      {{"fuzz", "--target", "reference-epoll", "--progress", "0s"},
       "sockspec fuzz: --progress: must be more than 0"},
      {{"fuzz", "--target", "reference-epoll", "--progress", "often"}, "sockspec fuzz: --progress"},
  });
}

std::string blackbox_script() {
  return std::string(SOCKSPEC_SOURCE_DIR) + "/ci/fuzz-blackbox";
}

TEST(FuzzBlackboxScript, BadArgumentsExitTwoNamingTheProblemAndTheUsage) {
  const std::string bin = testing::program_path("sockspec");
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{}, "ci/fuzz-blackbox: --sockspec is required"},
      {{"--sockspec", "/no/such/sockspec", "--time", "1"}, "not an executable file"},
      {{"--sockspec", bin, "--time", "0"}, "--time '0': expected whole seconds"},
      {{"--sockspec", bin, "--time", "1", "--mode", "bogus"}, "--mode 'bogus'"},
      {{"--sockspec", bin, "--time", "1", "--jobs", "x"}, "--jobs 'x'"},
      {{"--sockspec", bin, "--time"}, "--time needs a value"},
      {{"--sockspec", bin, "--frobnicate"}, "unknown argument '--frobnicate'"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(message);
    std::vector<std::string> argv = args;
    argv.insert(argv.begin(), blackbox_script());
    const auto r = run(argv);
    EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
    EXPECT_THAT(r.err, HasSubstr("Usage: ci/fuzz-blackbox"));
  }
}

// ci/fuzz-nightly checks its arguments before it builds anything.
TEST(FuzzBlackboxScript, TheNightlyRefusesBadArgumentsAndOffersNoBlackbox) {
  const std::string nightly = std::string(SOCKSPEC_SOURCE_DIR) + "/ci/fuzz-nightly";
  for (const std::vector<std::string>& args : {std::vector<std::string>{nightly, "--bogus"},
                                               {nightly, "--time", "soon"},
                                               {nightly, "--no-blackbox", "--jobs", "0"}}) {
    const auto r = run(args);
    EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("--no-blackbox  skip the `sockspec fuzz` campaigns"));
  }
}

TEST(FuzzBlackboxScript, ATinyRunMergesAtMostKeepNewInputsPerMode) {
  test::TempDir dir;
  const std::string corpora = dir.file("corpora");
  const std::vector<std::string> args = {
      blackbox_script(), "--sockspec", testing::program_path("sockspec"),
      "--time",          "1",          "--mode",
      "persistent",      "--mode",     "datagram",
      "--keep",          "5",          "--corpora",
      corpora,           "--work",     dir.file("work")};
  const auto r = run(args);
  ASSERT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, ContainsRegex("\npersistent +[1-9][0-9]* +0 +5 +5 +0  ok\n"));
  EXPECT_THAT(r.out, ContainsRegex("\ndatagram +[1-9][0-9]* +0 +5 +5 +0  ok\n"));
  for (const char* mode : {"persistent", "datagram"}) {
    SCOPED_TRACE(mode);
    const std::string committed = corpora + "/blackbox-" + mode;
    EXPECT_EQ(files_in(committed).size(), 5U);
    // The campaign kept more than it merged: the rest stays in its work folder.
    EXPECT_GT(files_in(dir.file("work") + "/" + mode + "/corpus").size(), 5U);
  }
  // The next night starts from the merged corpus and adds at most --keep more.
  const auto again = run(args);
  ASSERT_TRUE(again.status.exited(0)) << again.out << again.err;
  EXPECT_THAT(again.out, ContainsRegex("\npersistent +[1-9][0-9]* +5 +([6-9]|10) +[1-5] +0  ok\n"));
}

}  // namespace
}  // namespace sockspec::blackbox
