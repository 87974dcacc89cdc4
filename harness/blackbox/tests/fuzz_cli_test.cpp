// `sockspec fuzz` end to end: exit codes 0/1/2/3/130, findings written as scenarios that
// `sockspec run` replays (failing on the victim, passing on the reference server), --json.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/blackbox/tests/live_helpers.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::files_in;
using test::sockspec;

std::string write_dict(const test::TempDir& dir, const std::string& tokens) {
  const std::string path = dir.file("victim.dict");
  std::ofstream(path) << "# the victim's triggers\n" << tokens;
  return path;
}

TEST(FuzzCli, ReferenceServerGivesExitZero) {
  test::TempDir dir;
  const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--service", "echo", "--runs",
                           "500", "--time", "10s", "--out", dir.path(), "--seed", "3"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("fuzz: 500 execs in"));
  EXPECT_THAT(r.out, HasSubstr("(echo persistent"));
  EXPECT_THAT(r.out, HasSubstr("0 findings"));
  EXPECT_TRUE(files_in(dir.path(), ".yaml").empty());
}

TEST(FuzzCli, FindingIsWrittenAndReplaysFailingOnTheVictimPassingOnTheReference) {
  test::TempDir dir;
  const std::string out = dir.file("findings");
  const std::string json = dir.file("fuzz.json");
  const std::string victim = test::bin_dir() + "/fuzz_victim {host} {transports}";
  const auto r = sockspec({"fuzz", "--cmd", victim, "--mode", "per-connection", "--dict",
                           write_dict(dir, "\"CRASH\"\n"), "--no-pack-seeds", "--time", "20s",
                           "--minimise-time", "5s", "--out", out, "--json", json, "--seed", "5"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("finding: died fuzz/echo-died-"));
  EXPECT_THAT(r.out, HasSubstr("killed by SIGABRT"));
  const std::vector<std::string> files = files_in(out, ".yaml");
  ASSERT_EQ(files.size(), 1U);

  const auto on_victim = sockspec({"run", files[0], "--cmd", victim, "--service", "echo"});
  EXPECT_TRUE(on_victim.status.exited(1)) << on_victim.out << on_victim.err;
  const auto on_reference = sockspec({"run", files[0], "--target", "reference-epoll"});
  EXPECT_TRUE(on_reference.status.exited(0)) << on_reference.out << on_reference.err;

  std::ifstream in(json);
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["findings"].size(), 1U);
  EXPECT_EQ(doc["findings"][0]["kind"], "died");
  EXPECT_EQ(doc["findings"][0]["file"], files[0]);
  EXPECT_GT(doc["execs"].get<std::uint64_t>(), 0U);
}

TEST(FuzzCli, KeepGoingRestartsTheTargetAfterADeath) {
  test::TempDir dir;
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec({"fuzz",
                           "--cmd",
                           test::bin_dir() + "/fuzz_victim {host} {transports}",
                           "--dict",
                           write_dict(dir, "\"CRASH\"\n\"FLIP\"\n"),
                           "--no-pack-seeds",
                           "--keep-going",
                           "--max-findings",
                           "2",
                           "--time",
                           "20s",
                           "--minimise-time",
                           "3s",
                           "--reply-timeout",
                           "300ms",
                           "--out",
                           dir.file("out"),
                           "--json",
                           json,
                           "--seed",
                           "9"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  std::ifstream in(json);
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["findings"].size(), 2U);
  EXPECT_GE(doc["restarts"].get<int>(), 2);
}

TEST(FuzzCli, UsageErrorsGiveExitTwoAndOneLine) {
  test::expect_usage_errors({
      {{"fuzz", "--target", "reference-epoll", "--bogus"}, "--bogus"},
      {{"fuzz", "--target", "no-such-profile"}, "sockspec fuzz: --target no-such-profile"},
      {{"fuzz"}, "sockspec fuzz: give exactly one of --target, --cmd and --connect"},
      {{"fuzz", "--target", "reference-epoll", "--time", "soon"}, "sockspec fuzz: --time"},
      {{"fuzz", "--target", "reference-epoll", "--service", "gopher"}, "--service gopher"},
      {{"fuzz", "--target", "reference-epoll", "--dict", "/no/such.dict"}, "sockspec fuzz: --dict"},
      {{"fuzz", "--target", "reference-client"}, "is a client"},
      {{"fuzz", "--target", "reference-epoll", "--corpus", "/no/such/dir"}, "--corpus"},
      {{"fuzz", "--connect", "127.0.0.1:9", "--coverage", "afl"},
       "sockspec fuzz: --coverage afl: needs a server sockspec starts (--target or --cmd)"},
      {{"fuzz", "--target", "reference-epoll", "--coverage", "gcov"}, "--coverage"},
  });
}

TEST(FuzzCli, ModeTheProfileCannotDoIsAUsageError) {
  test::TempDir dir;
  const std::string profile = dir.file("tcp-only.yaml");
  std::ofstream(profile) << "name: tcp-only\n"
                         << "argv: [\"{bindir}/fuzz_victim\", \"{host}\", \"{transports}\"]\n"
                         << "capabilities: [tcp, ipv4, echo]\n";
  const auto r = sockspec({"fuzz", "--target", profile, "--mode", "datagram"});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
  EXPECT_THAT(r.err, StartsWith("sockspec fuzz: profile 'tcp-only' does not serve udp"));
  const auto line = sockspec({"fuzz", "--target", profile, "--service", "line"});
  EXPECT_TRUE(line.status.exited(2)) << line.out << line.err;
  EXPECT_THAT(line.err, HasSubstr("does not offer the line service"));
}

TEST(FuzzCli, TargetThatCannotStartGivesExitThree) {
  test::TempDir dir;
  const auto r = sockspec({"fuzz", "--cmd", dir.file("no-such-server") + " --port {port}", "--time",
                           "5s", "--out", dir.path()});
  EXPECT_TRUE(r.status.exited(3)) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("sockspec fuzz: cannot start the target"));
}

// The default build's reference server has no AFL++ instrumentation: it never writes the map.
TEST(FuzzCli, CoverageFromAnUninstrumentedTargetGivesExitThreeAndOneLine) {
  test::TempDir dir;
  const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--service", "echo", "--coverage",
                           "afl", "--time", "20s", "--out", dir.path(), "--seed", "1"});
  EXPECT_TRUE(r.status.exited(3)) << r.out << r.err;
  // The status line of the end, then the error: one line.
  EXPECT_THAT(r.err, ::testing::ContainsRegex(
                         "^fuzz: end [^\n]*\nsockspec fuzz: the target wrote no coverage: "
                         "is it built with afl-clang-fast\\?\n$"));
  EXPECT_THAT(r.out, HasSubstr("fuzz: 16 execs in"));  // kAttachWithin messages, then the error
}

// coverage_victim writes the map itself (an edge per stage) and answers every line alike: the
// coverage loop keeps OPEN, then OPEN + KEY, as sequences, and reaches BOOM after both.
TEST(FuzzCli, CoverageKeepsSequencesThatReachNewEdgesAndFindsTheThirdStage) {
  test::TempDir dir;
  const std::string corpus = dir.file("corpus");
  fs::create_directories(corpus);
  std::ofstream(corpus + "/open") << "OPEN\n";
  std::ofstream(corpus + "/key") << "KEY\n";
  std::ofstream(corpus + "/boom") << "BOOM\n";
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec({"fuzz",
                           "--cmd",
                           test::bin_dir() + "/coverage_victim {host}",
                           "--service",
                           "daytime",
                           "--coverage",
                           "afl",
                           "--no-pack-seeds",
                           "--corpus",
                           corpus,
                           "--time",
                           "50s",
                           "--seed",
                           "1",
                           "--out",
                           dir.file("findings"),
                           "--minimise-time",
                           "10s",
                           "--json",
                           json});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  const auto doc = nlohmann::json::parse(std::ifstream(json), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_EQ(doc["findings"].size(), 1U) << r.out;
  EXPECT_EQ(doc["findings"][0]["kind"], "died");
  EXPECT_EQ(doc["edges"].get<int>(), 3);   // a line, OPEN, KEY
  EXPECT_GE(doc["corpus"].get<int>(), 5);  // the 4 daytime seeds + 3 files, at least OPEN+KEY
}

// In a server's own protocol (a profile with exchanges) the coverage loop runs the probe: a
// server that stops answering it is found.
TEST(FuzzCli, CoverageInAServersProtocolProbesIt) {
  test::TempDir dir;
  const std::string profile = dir.file("victim.yaml");
  std::ofstream(profile)
      << "name: coverage-victim\n"
      << "argv: [\"" << test::bin_dir() << "/coverage_victim\", \"{host}\"]\n"
      << "capabilities: [tcp, ipv4]\n"
      << "exchanges:\n  tcp:\n    requests:\n"
      << "      ping: {request: {text: \"PING\\n\"}, reply: {text: \"ok\\r\\n\"}}\n";
  const std::string corpus = dir.file("corpus");
  fs::create_directories(corpus);
  std::ofstream(corpus + "/mute") << "MUTE\n";
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec({"fuzz",
                           "--target",
                           profile,
                           "--coverage",
                           "afl",
                           "--corpus",
                           corpus,
                           "--probe-every",
                           "8",
                           "--time",
                           "30s",
                           "--minimise-time",
                           "5s",
                           "--reply-timeout",
                           "300ms",
                           "--seed",
                           "1",
                           "--out",
                           dir.file("findings"),
                           "--json",
                           json});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  const auto doc = nlohmann::json::parse(std::ifstream(json), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_EQ(doc["findings"].size(), 1U) << r.out;
  EXPECT_EQ(doc["findings"][0]["kind"], "unresponsive");
  EXPECT_GT(doc["probes"].get<int>(), 0);
}

TEST(FuzzCli, InterruptStopsCleanlyWithExit130AndASummary) {
  test::TempDir dir;
  auto child = testing::ChildProcess::start({testing::program_path("sockspec"), "fuzz", "--target",
                                             "reference-epoll", "--time", "30s", "--out",
                                             dir.path(), "--json", dir.file("fuzz.json")});
  ASSERT_TRUE(child) << child.error().message;
  const std::vector<std::string> started = child->read_lines(1, 10s);
  ASSERT_EQ(started.size(), 1U) << child->err();
  EXPECT_THAT(started[0], HasSubstr("fuzz: reference-epoll at 127.0.0.1:"));
  child->signal(SIGINT);
  const auto status = child->finish(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited(130)) << child->out() << child->err();
  EXPECT_THAT(child->out(), HasSubstr("interrupted"));
  EXPECT_TRUE(fs::exists(dir.file("fuzz.json")));
}

}  // namespace
}  // namespace sockspec::blackbox
