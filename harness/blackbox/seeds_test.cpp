// Tests of seeds_from_scenarios over the real conformance pack and small hand-made scenarios.
#include "harness/blackbox/seeds.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "harness/scenario/loader.hpp"

namespace sockspec::blackbox {
namespace {

using scenario::Transport;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

// Every scenario of the pack, in path order (the order `sockspec run` loads them).
const std::vector<scenario::Scenario>& pack() {
  static const std::vector<scenario::Scenario> loaded = [] {
    std::vector<std::string> paths;
    for (const auto& e : std::filesystem::recursive_directory_iterator(SOCKSPEC_PACK_DIR)) {
      if (e.is_regular_file() && e.path().extension() == ".yaml") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<scenario::Scenario> all;
    for (const std::string& p : paths) {
      net::Result<scenario::Scenario> s = scenario::load_scenario_file(p);
      EXPECT_TRUE(s.ok()) << s.error().message;
      if (s) all.push_back(std::move(s).value());
    }
    return all;
  }();
  return loaded;
}

TEST(SeedsFromScenarios, TakesWhatThePackSendsToEachService) {
  struct Case {
    Transport transport;
    std::string service;
    std::string contained;  // one input that must be among the seeds
  };
  const std::vector<Case> cases = {
      {Transport::tcp, "echo", std::string(1, '\0')},
      {Transport::tcp, "line", "PING\n"},
      {Transport::tcp, "line", "WHOAMI\n"},
      {Transport::udp, "line", "PING"},
      {Transport::udp, "line", "TIME\n"},
      {Transport::udp, "echo", "hello\r\n"},
      {Transport::tcp, "discard", "PING\r\nhello?\n"},
      {Transport::udp, "discard", "discard me 0\n"},  // {seq} rendered as 0
  };
  ASSERT_THAT(pack(), Not(IsEmpty()));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.service + (c.transport == Transport::tcp ? "/tcp" : "/udp"));
    const Seeds seeds = seeds_from_scenarios(pack(), c.transport, c.service, 4096);
    ASSERT_THAT(seeds.inputs, Not(IsEmpty()));
    EXPECT_THAT(seeds.inputs, Contains(c.contained));
    const std::set<std::string> distinct(seeds.inputs.begin(), seeds.inputs.end());
    EXPECT_EQ(distinct.size(), seeds.inputs.size());
    for (const std::string& in : seeds.inputs) {
      EXPECT_GE(in.size(), 1U);
      EXPECT_LE(in.size(), 4096U);
    }
  }
}

TEST(SeedsFromScenarios, LeavesOutOtherServicesScenarios) {
  EXPECT_THAT(seeds_from_scenarios(pack(), Transport::tcp, "echo", 4096).inputs,
              Not(Contains("PING\r\nhello?\n")));  // discard's
}

TEST(SeedsFromScenarios, CutsPatternsAndLongDataToMaxSize) {
  const Seeds seeds = seeds_from_scenarios(pack(), Transport::tcp, "echo", 100);
  ASSERT_THAT(seeds.inputs, Not(IsEmpty()));
  bool has_full = false;
  for (const std::string& in : seeds.inputs) {
    EXPECT_LE(in.size(), 100U);
    has_full = has_full || in.size() == 100;  // the 1 MiB and 16 MiB patterns, cut
  }
  EXPECT_TRUE(has_full);
}

TEST(SeedsFromScenarios, LineTokensAreCommandWordsAndSeparators) {
  const Seeds line = seeds_from_scenarios(pack(), Transport::tcp, "line", 4096);
  for (const char* token :
       {"PING", "ECHO", "LEN", "WHOAMI", "TIME", "QUIT", " ", "\r", "\n", "\r\n"}) {
    EXPECT_THAT(line.tokens.entries, Contains(token));
  }
  for (const std::string& t : line.tokens.entries) EXPECT_LT(t.size(), 4097U);
  EXPECT_THAT(seeds_from_scenarios(pack(), Transport::tcp, "echo", 4096).tokens.entries, IsEmpty());
}

TEST(SeedsFromScenarios, RendersPlaceholdersAndSkipsOtherRolesAndServices) {
  const auto load = [](std::string_view text) {
    net::Result<scenario::Scenario> s = scenario::load_scenario_text(text, "t.yaml");
    EXPECT_TRUE(s.ok()) << s.error().message;
    return std::move(s).value();
  };
  const std::vector<scenario::Scenario> scenarios = {
      load("id: t/a\nsummary: s\nrequirements: [SVC-5]\nneeds: [tcp, line]\nsteps:\n"
           "  - connect: {}\n"
           "  - repeat: {count: 2, steps: [{send: {text: 'ECHO {client}/{seq} {peer} "
           "{target.addr}\\n'}}]}\n"
           "  - send: {text: ''}\n"),
      load("id: t/b\nsummary: s\nrequirements: [SVC-1]\nneeds: [tcp, echo]\nsteps:\n"
           "  - connect: {}\n  - send: {text: 'echo only'}\n"),
      load("id: t/c\nsummary: s\nrequirements: [ACC-2]\nneeds: [tcp]\nsteps:\n"
           "  - connect: {}\n  - send: {hex: '00 ff'}\n"),
  };
  const Seeds seeds = seeds_from_scenarios(scenarios, Transport::tcp, "line", 4096);
  EXPECT_EQ(seeds.inputs, (std::vector<std::string>{"ECHO 0/0 127.0.0.1:40000 127.0.0.1:7\n",
                                                    std::string("\0\xff", 2)}));
  EXPECT_THAT(seeds_from_scenarios(scenarios, Transport::udp, "line", 4096).inputs, IsEmpty());
}

}  // namespace
}  // namespace sockspec::blackbox
