// The `sockspec` binary's listing commands end to end: list's count after its table, list --json,
// profiles, --version and its variables, validate's every error of every file, and the hidden
// generator commands.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "targets/testing/child_process.hpp"
#include "targets/testing/temp_dir.hpp"

namespace sockspec {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kData = SOCKSPEC_CLI_TESTDATA;

testing::RunResult run(std::vector<std::string> args) {
  auto r = testing::run(std::move(args), {}, seconds(60));
  if (r.ok()) return std::move(r).value();
  ADD_FAILURE() << r.error().message;
  return {};
}

testing::RunResult sockspec(std::vector<std::string> args) {
  args.insert(args.begin(), testing::program_path("sockspec"));
  return run(std::move(args));
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

TEST(CliListing, ListCountComesAfterTheTableWithBothStreamsInOnePipe) {
  const auto r =
      run({"/bin/sh", "-c", "exec \"$0\" list \"$1\" \"$2\" 2>&1",
           testing::program_path("sockspec"), kData + "/echo.yaml", kData + "/stalled.yaml"});
  EXPECT_TRUE(r.status.exited(0)) << r.out;
  const std::vector<std::string> out = lines(r.out);
  ASSERT_EQ(out.size(), 3U) << r.out;
  EXPECT_THAT(out[0], StartsWith("test/echo "));
  EXPECT_THAT(out[1], StartsWith("test/stalled "));
  EXPECT_EQ(out[2], "2 scenarios");
}

TEST(CliListing, ListJsonGivesEverySelectedScenario) {
  const auto r =
      sockspec({"list", "--json", kData + "/echo.yaml", kData + "/stalled.yaml", "--tag", "x"});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;  // nothing selected: as without --json
  const auto j = sockspec({"list", "--json", kData + "/echo.yaml", kData + "/stalled.yaml"});
  EXPECT_TRUE(j.status.exited(0)) << j.err;
  EXPECT_EQ(j.err, "");
  const nlohmann::json scenarios = nlohmann::json::parse(j.out);
  ASSERT_EQ(scenarios.size(), 2U);
  EXPECT_EQ(scenarios[0]["id"], "test/echo");
  EXPECT_EQ(scenarios[0]["file"], kData + "/echo.yaml");
  EXPECT_EQ(scenarios[0]["requirements"], nlohmann::json::parse(R"(["SVC-1", "STR-3"])"));
  EXPECT_EQ(scenarios[0]["needs"], nlohmann::json::parse(R"(["tcp", "echo"])"));
  EXPECT_EQ(scenarios[0]["role"], "server");
  EXPECT_EQ(scenarios[1]["id"], "test/stalled");
}

TEST(CliListing, ProfilesListsTheBuiltInOnesWithRoleTransportsAndCapabilities) {
  const auto t = sockspec({"profiles"});
  EXPECT_TRUE(t.status.exited(0)) << t.err;
  EXPECT_THAT(t.out, MatchesRegex("(.*\n)?reference-epoll +server tcp,udp +ipv4 ipv6 [^\n]*"
                                  "concurrent  [^\n]*/reference-epoll\\.yaml\n.*"));
  EXPECT_THAT(t.out, HasSubstr("reference-client             client tcp,udp  ipv4 ipv6  "));
  EXPECT_THAT(t.out, Not(HasSubstr("line.exchanges")));
  EXPECT_THAT(t.err, MatchesRegex("[0-9]+ profiles in .*/targets/profiles\n"));
  const auto j = sockspec({"profiles", "--json"});
  EXPECT_TRUE(j.status.exited(0)) << j.err;
  const nlohmann::json profiles = nlohmann::json::parse(j.out);
  const auto client = std::find_if(profiles.begin(), profiles.end(),
                                   [](const auto& p) { return p["name"] == "reference-client"; });
  ASSERT_NE(client, profiles.end()) << j.out;
  EXPECT_EQ((*client)["role"], "client");
  EXPECT_EQ((*client)["transports"], nlohmann::json::parse(R"(["tcp", "udp"])"));
  EXPECT_THAT((*client)["file"].get<std::string>(), EndsWith("/reference-client.yaml"));
}

TEST(CliListing, VersionGivesThePackRevisionAndTheVariablesWin) {
  const auto v = sockspec({"--version"});
  EXPECT_TRUE(v.status.exited(0)) << v.err;
  EXPECT_THAT(v.out, MatchesRegex("sockspec 0\\.1\\.0 \\(pack [0-9a-f]{12}\\)\n"
                                  "pack: .*/conformance\nprofiles: .*/targets/profiles\n"));
  const testing::TempDir dir;
  std::filesystem::copy_file(kData + "/echo.yaml", dir.file("echo.yaml"));
  const auto env =
      run({"/usr/bin/env", "SOCKSPEC_PACK_DIR=" + dir.path(), "SOCKSPEC_PROFILE_DIR=" + dir.path(),
           testing::program_path("sockspec"), "--version"});
  EXPECT_THAT(env.out, HasSubstr("\npack: " + dir.path() + "\nprofiles: " + dir.path() + "\n"));
  EXPECT_EQ(env.out.substr(0, 21), v.out.substr(0, 21));  // "sockspec 0.1.0 (pack "
  EXPECT_NE(env.out.substr(0, env.out.find('\n')), v.out.substr(0, v.out.find('\n')));
  const auto help = sockspec({"--help"});
  EXPECT_THAT(help.out, HasSubstr("SOCKSPEC_PACK_DIR"));
  EXPECT_THAT(help.out, HasSubstr("SOCKSPEC_PROFILE_DIR"));
  EXPECT_THAT(help.out, HasSubstr("--version"));
  EXPECT_THAT(help.out, Not(HasSubstr("completion")));
}

TEST(CliListing, ValidateReportsEveryErrorOfEveryFile) {
  const testing::TempDir dir;
  std::ofstream(dir.file("a.yaml")) << "id: t/a\n"
                                       "summary: s\n"
                                       "requirements: [NOPE-1]\n"
                                       "needs: [tcp]\n"
                                       "colour: red\n"
                                       "steps:\n"
                                       "  - connect: {}\n"
                                       "  - sned: {text: x}\n"
                                       "  - send: {txt: x}\n";
  std::ofstream(dir.file("b.yaml")) << "id: t/b\n"
                                       "summary: s\n"
                                       "requirements: [STR-1]\n"
                                       "needs: [tcp]\n"
                                       "steps:\n"
                                       "  - connect: {within: soon}\n"
                                       "  - expect-eof: {within: 1s, extra: 1}\n";
  std::ofstream(dir.file("c.yaml")) << "id: t/c\nsummary: s\nrequirements: [STR-1]\n"
                                       "needs: [tcp]\nsteps:\n  - connect: {}\n";
  std::ofstream(dir.file("d.yaml")) << "id: t/c\nsummary: s\nrequirements: [STR-1]\n"
                                       "needs: [tcp]\nsteps:\n  - connect: {}\n";
  const auto r = sockspec({"validate", dir.path()});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
  const std::string a = dir.file("a.yaml");
  const std::string b = dir.file("b.yaml");
  // Each file's errors in the order the loader reads (keys first, then field by field).
  EXPECT_THAT(lines(r.err),
              ElementsAre(StartsWith(a + ":5:1: unknown key 'colour' in scenario"),
                          a + ":3:16: unknown requirement 'NOPE-1'",
                          a + ":8:5: unknown step 'sned' (did you mean 'send'?)",
                          a + ":9:12: unknown key 'txt' in send (did you mean 'text'?)",
                          StartsWith(b + ":6:23: bad duration 'soon'"),
                          StartsWith(b + ":7:30: unknown key 'extra' in expect-eof"),
                          dir.file("d.yaml") + ":1:5: duplicate id 't/c' (also in " +
                              dir.file("c.yaml") + ":1:5)"));
}

TEST(CliListing, ValidateReportsEveryErrorOfEveryProfile) {
  const testing::TempDir dir;
  std::ofstream(dir.file("p.yaml")) << "name: p\n"
                                       "argv: [x, '{port}']\n"
                                       "ready: tcp-prob\n"
                                       "start-timeout: soon\n"
                                       "capabilities: [tcp, ipv4]\n"
                                       "expect:\n"
                                       "  - {scenario: a, verdict: xfail}\n"
                                       "  - {scenario: b, verdict: maybe, reason: r}\n";
  std::ofstream(dir.file("q.yaml")) << "name: q\nargv: [y]\nstop: {signal: TREM}\n";
  const auto r = sockspec({"validate", "--profile", dir.file("p.yaml"), "--profile",
                           dir.file("q.yaml"), kData + "/echo.yaml"});
  EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
  const std::string p = dir.file("p.yaml");
  EXPECT_THAT(lines(r.err),
              ElementsAre(StartsWith(p + ":3:8: bad value 'tcp-prob' for 'ready'"),
                          StartsWith(p + ":4:16: bad duration 'soon'"),
                          StartsWith(p + ":7:5: missing field 'reason'"),
                          StartsWith(p + ":8:28: bad value 'maybe' for 'verdict'"),
                          StartsWith(dir.file("q.yaml") + ":3:16: bad value 'TREM' for 'signal'")));
}

TEST(CliListing, HiddenGeneratorsPrintTheManPageAndCompletions) {
  const auto man = sockspec({"man"});
  EXPECT_TRUE(man.status.exited(0)) << man.err;
  EXPECT_THAT(man.out, HasSubstr(".SH NAME\nsockspec \\- "));
  const auto bash = sockspec({"completion", "bash"});
  EXPECT_THAT(bash.out, HasSubstr("complete -o filenames -F _sockspec sockspec"));
  const auto zsh = sockspec({"completion", "zsh"});
  EXPECT_THAT(zsh.out, StartsWith("#compdef sockspec\n"));
  const auto fish = sockspec({"completion", "fish"});
  EXPECT_TRUE(fish.status.exited(2)) << fish.out << fish.err;
}

}  // namespace
}  // namespace sockspec
