// Campaigns against live servers: none finds anything in a correct server; each planted bug of
// the victim is found, minimised, written as a loadable scenario, and --keep-going restarts.
#include "harness/blackbox/campaign.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/blackbox/tests/live_helpers.hpp"
#include "harness/scenario/loader.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

CampaignOptions quiet_options(Mode mode, const std::string& service, const std::string& out) {
  CampaignOptions o;
  o.exchange.mode = mode;
  o.exchange.service = service;
  o.exchange.reply_timeout = 300ms;
  o.duration = 5s;
  o.seed = 7;
  o.out_dir = out;
  o.minimise_time = 3s;
  o.log = nullptr;
  o.findings = nullptr;
  return o;
}

TEST(Campaign, CorrectServerGivesNoFindingInEveryMode) {
  test::TempDir dir;
  for (const std::string service : {"echo", "line"}) {
    for (const Mode mode : {Mode::persistent, Mode::per_connection, Mode::datagram}) {
      SCOPED_TRACE(service + " " + std::string(mode_name(mode)));
      auto target = test::start_live(test::kReference, service, mode);
      ASSERT_TRUE(target) << target.error().message;
      CampaignOptions o = quiet_options(mode, service, dir.path());
      o.max_runs = 1500;
      const CampaignResult r = run_campaign(*target, o);
      EXPECT_EQ(r.execs, 1500U);
      for (const CampaignFinding& f : r.findings) ADD_FAILURE() << f.id << ": " << f.finding.detail;
      EXPECT_EQ(r.restarts, 0U);
      EXPECT_GT(r.corpus, builtin_seeds(service).size());
    }
  }
}

struct BugCase {
  std::string token;
  FindingKind kind;
  Mode mode;
};

TEST(Campaign, FindsMinimisesAndWritesEachPlantedBug) {
  const BugCase cases[] = {
      {"CRASH", FindingKind::died, Mode::persistent},
      {"CRASH", FindingKind::died, Mode::per_connection},
      {"CRASH", FindingKind::died, Mode::datagram},
      {"HANG", FindingKind::hang, Mode::persistent},
      {"FLIP", FindingKind::oracle, Mode::per_connection},
      {"FLIP", FindingKind::oracle, Mode::datagram},
  };
  for (const BugCase& c : cases) {
    SCOPED_TRACE(c.token + " " + std::string(mode_name(c.mode)));
    test::TempDir dir;
    auto target = test::start_live(test::kVictim, "echo", c.mode);
    ASSERT_TRUE(target) << target.error().message;
    CampaignOptions o = quiet_options(c.mode, "echo", dir.path());
    o.dictionary.entries = {c.token};
    o.max_runs = 20000;
    if (c.kind == FindingKind::hang) o.minimise_time = 1s;  // each failing replay waits 300 ms
    const CampaignResult r = run_campaign(*target, o);
    ASSERT_EQ(r.findings.size(), 1U);
    const CampaignFinding& f = r.findings.front();
    EXPECT_EQ(f.finding.kind, c.kind) << f.finding.detail;
    EXPECT_TRUE(f.reproduced);
    EXPECT_TRUE(f.finding.minimised);
    // Minimised to the one message that holds the trigger, and little else.
    ASSERT_EQ(f.finding.messages.size(), 1U);
    EXPECT_THAT(f.finding.messages[0], HasSubstr(c.token));
    // A hang costs a reply timeout per failing replay: the budget ends before the bytes do.
    if (c.kind != FindingKind::hang) {
      EXPECT_LE(f.finding.messages[0].size(), c.token.size() + 2);
    }
    EXPECT_GE(r.restarts, 1U);  // at least the restart after the finding
    net::Result<scenario::Scenario> loaded = scenario::load_scenario_file(f.file);
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->id, f.id);
  }
}

TEST(Campaign, KeepGoingRestartsAndStopsAtMaxFindings) {
  test::TempDir dir;
  auto target = test::start_live(test::kVictim, "echo", Mode::per_connection);
  ASSERT_TRUE(target) << target.error().message;
  CampaignOptions o = quiet_options(Mode::per_connection, "echo", dir.path());
  o.dictionary.entries = {"CRASH", "FLIP"};
  o.max_runs = 30000;
  o.keep_going = true;
  o.max_findings = 2;
  const CampaignResult r = run_campaign(*target, o);
  ASSERT_EQ(r.findings.size(), 2U);
  EXPECT_NE(r.findings[0].id, r.findings[1].id);
  EXPECT_GE(r.restarts, 2U);
  EXPECT_FALSE(target->ended().has_value());  // the last restart left it serving
}

TEST(Campaign, StopsWhenAskedAndWithinItsTime) {
  test::TempDir dir;
  auto target = test::start_live(test::kReference, "echo", Mode::persistent);
  ASSERT_TRUE(target) << target.error().message;
  CampaignOptions o = quiet_options(Mode::persistent, "echo", dir.path());
  o.duration = 300ms;
  const auto start = std::chrono::steady_clock::now();
  const CampaignResult r = run_campaign(*target, o);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_GT(r.execs, 0U);
  EXPECT_FALSE(r.interrupted);
}

}  // namespace
}  // namespace sockspec::blackbox
