// `sockspec fuzz` in a server's own protocol (a profile that declares exchanges, no --service):
// no finding on the reference server, the probe finding a victim that stops answering, the
// finding replayed by `sockspec run` (failing on the victim, passing on a good server of the same
// protocol), and the usage errors of the mode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/blackbox/tests/live_helpers.hpp"
#include "harness/scenario/data.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using test::files_in;
using test::read_json;
using test::sockspec;

// An echo protocol with a hello, as the victim and a good echo server both speak it.
constexpr const char* kEchoExchanges =
    "exchanges:\n"
    "  tcp:\n"
    "    hello: {request: {text: \"HELLO\\n\"}, reply: {text: \"HELLO\\n\"}}\n"
    "    requests:\n"
    "      ping: {request: {text: \"PING\\n\"}, reply: {text: \"PING\\n\"}}\n"
    "      say: {request: {text: \"SAY {client}\\n\"}, reply: {regex: \"SAY [0-9]+\\n\"}}\n";

// A profile `name` running `argv` (YAML flow list) that speaks kEchoExchanges.
std::string write_profile(const test::TempDir& dir, const std::string& name,
                          const std::string& argv) {
  const std::string path = dir.file(name + ".yaml");
  std::ofstream(path) << "name: " << name << "\nargv: " << argv
                      << "\ncapabilities: [tcp, ipv4, lifecycle]\n"
                      << kEchoExchanges;
  return path;
}

std::string victim_profile(const test::TempDir& dir) {
  return write_profile(dir, "victim", R"(["{bindir}/fuzz_victim", "{host}", "{transports}"])");
}

std::string good_echo_profile(const test::TempDir& dir) {
  return write_profile(
      dir, "good-echo",
      R"(["{bindir}/sockspec-server", "--model", "epoll", "--service", "echo",)"
      R"( "--transport", "{transports}", "--bind", "{host}", "--port", "{port}"])");
}

TEST(FuzzProtocol, ReferenceServerInItsOwnProtocolHasNoFindingInEveryMode) {
  for (const std::string mode : {"persistent", "per-connection", "datagram"}) {
    SCOPED_TRACE(mode);
    test::TempDir dir;
    const std::string json = dir.file("fuzz.json");
    const auto r = sockspec({"fuzz", "--target", "reference-epoll", "--mode", mode, "--runs",
                             "1000", "--time", "20s", "--probe-every", "16", "--out", dir.path(),
                             "--json", json, "--seed", "3"});
    EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr("(protocol " + mode + ")"));
    EXPECT_THAT(r.out, HasSubstr("fuzz: 1000 execs in"));
    EXPECT_TRUE(files_in(dir.path(), ".yaml").empty());
    const nlohmann::json doc = read_json(json);
    ASSERT_FALSE(doc.is_discarded());
    EXPECT_EQ(doc["service"], "protocol");
    EXPECT_EQ(doc["findings"].size(), 0U);
    EXPECT_GE(doc["probes"].get<std::uint64_t>(), 1000U / 16);
  }
}

TEST(FuzzProtocol, TheServerClosingAConnectionTriggersAProbe) {
  test::TempDir dir;
  const std::string json = dir.file("fuzz.json");
  // Its seeds hold the closing request (QUIT): some inputs make the server close.
  const auto r =
      sockspec({"fuzz", "--target", "reference-epoll", "--runs", "2000", "--time", "20s",
                "--probe-every", "1048576", "--out", dir.path(), "--json", json, "--seed", "3"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  const nlohmann::json doc = read_json(json);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_GT(doc["probes"].get<std::uint64_t>(), 0U);
}

// The number in "N seed inputs" of the campaign's first line.
int seed_inputs(const std::string& out) {
  const std::size_t at = out.find(" seed inputs");
  const std::size_t from = out.rfind(' ', at - 1) + 1;
  return at == std::string::npos ? -1 : std::stoi(out.substr(from, at - from));
}

TEST(FuzzProtocol, SeedsAreTheProfilesRequestsPlusWhatSeedsScenariosSendNamingNoService) {
  test::TempDir dir;
  const std::string victim = victim_profile(dir);
  const auto alone = sockspec({"fuzz", "--target", victim, "--runs", "10", "--out", dir.path()});
  EXPECT_TRUE(alone.status.exited(0)) << alone.out << alone.err;
  // "PING\n", "SAY 0\n" and the two in one input.
  EXPECT_EQ(seed_inputs(alone.out), 3) << alone.out;
  const std::string scenarios = dir.file("seeds");
  fs::create_directories(scenarios);
  std::ofstream(scenarios + "/any.yaml")
      << "id: seeds/any\nsummary: s\nrequirements: [ACC-2]\nneeds: [tcp]\nsteps:\n"
      << "  - connect: {}\n  - send: {text: \"GET / HTTP/1.0\\r\\n\"}\n";
  std::ofstream(scenarios + "/echo.yaml")
      << "id: seeds/echo\nsummary: s\nrequirements: [SVC-1]\nneeds: [tcp, echo]\nsteps:\n"
      << "  - connect: {}\n  - send: {text: \"only for echo\\n\"}\n";
  const auto more = sockspec(
      {"fuzz", "--target", victim, "--seeds", scenarios, "--runs", "10", "--out", dir.path()});
  EXPECT_TRUE(more.status.exited(0)) << more.out << more.err;
  EXPECT_EQ(seed_inputs(more.out), 4) << more.out;
}

TEST(FuzzProtocol, ProbeFindsAServerThatStopsAnsweringAndItsFindingReplays) {
  test::TempDir dir;
  const std::string victim = victim_profile(dir);
  const std::string good = good_echo_profile(dir);
  const std::string corpus = dir.file("corpus");
  fs::create_directories(corpus);
  std::ofstream(corpus + "/mute") << "MUTE MUTE MUTE\n";
  const std::string out = dir.file("findings");
  const std::string json = dir.file("fuzz.json");
  const auto r = sockspec({"fuzz", "--target", victim, "--corpus", corpus, "--probe-every", "8",
                           "--time", "30s", "--minimise-time", "10s", "--reply-timeout", "300ms",
                           "--out", out, "--json", json, "--seed", "7"});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("finding: unresponsive fuzz/victim-unresponsive-"));
  EXPECT_THAT(r.out, HasSubstr("the reply to the hello"));  // muted, it answers no hello
  const nlohmann::json doc = read_json(json);
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_EQ(doc["findings"].size(), 1U);
  EXPECT_EQ(doc["findings"][0]["kind"], "unresponsive");
  const std::vector<std::string> files = files_in(out, ".yaml");
  ASSERT_EQ(files.size(), 1U);
  const net::Result<std::string> text = scenario::read_file_bytes(files[0], 1 << 20);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_THAT(*text, HasSubstr("MUTE"));
  EXPECT_THAT(*text, HasSubstr("exchange:"));
  EXPECT_THAT(*text, HasSubstr("HELLO"));  // the greeting, said first on the fuzz connection

  const auto on_victim = sockspec({"run", files[0], "--target", victim});
  EXPECT_TRUE(on_victim.status.exited(1)) << on_victim.out << on_victim.err;
  const auto on_good = sockspec({"run", files[0], "--target", good});
  EXPECT_TRUE(on_good.status.exited(0)) << on_good.out << on_good.err;
}

TEST(FuzzProtocol, UsageErrorsOfTheProtocolMode) {
  test::TempDir dir;
  const std::string victim = victim_profile(dir);
  test::expect_usage_errors({
      {{"fuzz", "--target", victim, "--mode", "datagram"},
       "sockspec fuzz: profile 'victim' does not serve udp"},
      {{"fuzz", "--target", "reference-epoll", "--service", "echo", "--probe-every", "5"},
       "sockspec fuzz: --probe-every: only for a server fuzzed in its own protocol"},
      {{"fuzz", "--cmd", "x {port}", "--probe-every", "5"}, "--probe-every: only"},
      {{"fuzz", "--target", victim, "--probe-every", "0"}, "--probe-every"},
  });
}

TEST(FuzzProtocol, ExchangesNotOverTheTransportOfTheModeIsAUsageError) {
  test::TempDir dir;
  const std::string profile = dir.file("both.yaml");
  std::ofstream(profile) << "name: both\n"
                         << R"(argv: ["{bindir}/fuzz_victim", "{host}", "{transports}"])"
                         << "\ncapabilities: [tcp, udp, ipv4]\n"
                         << kEchoExchanges;
  const auto r = sockspec({"fuzz", "--target", profile, "--mode", "datagram"});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
  EXPECT_THAT(r.err, StartsWith("sockspec fuzz: profile 'both' declares no exchanges over udp "
                                "(exchanges.udp) (needed by --mode datagram); --service fuzzes a "
                                "service instead"));
}

}  // namespace
}  // namespace sockspec::blackbox
