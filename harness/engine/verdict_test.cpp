// Verdicts from outcomes, levels and expectations; exit codes; selection, planning and shards.
#include "harness/engine/verdict.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/engine/plan.hpp"
#include "harness/scenario/loader.hpp"

namespace sockspec::engine {
namespace {

using ::testing::HasSubstr;

scenario::Scenario scenario_with(std::vector<std::string> requirements, std::string id = "x/y") {
  scenario::Scenario s;
  s.id = std::move(id);
  s.requirements = std::move(requirements);
  s.transport = {scenario::Transport::tcp};
  return s;
}

target::Profile profile_expecting(std::optional<std::string> glob,
                                  std::optional<std::string> requirement,
                                  target::ExpectedVerdict verdict) {
  target::Profile p;
  p.name = "p";
  p.capabilities = {"tcp", "ipv4", "ipv6", "echo"};
  p.expect.push_back({{}, std::move(glob), std::move(requirement), verdict, "known"});
  return p;
}

Verdict judged(Verdict raw, const scenario::Scenario& s, const target::Profile* p, bool strict) {
  CaseResult r;
  r.verdict = raw;
  judge(r, s, p, strict);
  return r.verdict;
}

TEST(Judge, MustFailureIsFailShouldFailureIsNonStrictUnlessStrict) {
  EXPECT_EQ(judged(Verdict::fail, scenario_with({"STR-1"}), nullptr, false), Verdict::fail);
  EXPECT_EQ(judged(Verdict::fail, scenario_with({"STR-8"}), nullptr, false), Verdict::non_strict);
  EXPECT_EQ(judged(Verdict::fail, scenario_with({"STR-8"}), nullptr, true), Verdict::fail);
  // A MUST among the requirements makes the failure a fail.
  EXPECT_EQ(judged(Verdict::fail, scenario_with({"STR-8", "STR-1"}), nullptr, false),
            Verdict::fail);
}

TEST(Judge, ExpectedFailuresAreXfailAndUnexpectedPassesXpass) {
  const auto by_req = profile_expecting(std::nullopt, "CON-1", target::ExpectedVerdict::xfail);
  const auto by_id = profile_expecting("con/*", std::nullopt, target::ExpectedVerdict::xfail);
  const auto s = scenario_with({"CON-1"}, "con/stalled");
  EXPECT_EQ(judged(Verdict::fail, s, &by_req, false), Verdict::xfail);
  EXPECT_EQ(judged(Verdict::pass, s, &by_req, false), Verdict::xpass);
  EXPECT_EQ(judged(Verdict::fail, s, &by_id, false), Verdict::xfail);
  EXPECT_EQ(judged(Verdict::pass, scenario_with({"STR-1"}), &by_id, false), Verdict::pass);
  EXPECT_EQ(judged(Verdict::error, s, &by_req, false), Verdict::error);
}

TEST(Judge, AnExpectedFailureWithTheWrongDiagnosticIsAFail) {
  auto profile = profile_expecting("con/*", std::nullopt, target::ExpectedVerdict::xfail);
  profile.expect[0].diagnostic = "not within 100ms";
  const auto s = scenario_with({"CON-1"}, "con/stalled");
  CaseResult r;
  r.verdict = Verdict::fail;
  r.reason = "expect at con.yaml:4:5";
  r.failure = Failure{{}, "expect", "a reply", "the reply came, but not within 100ms", ""};
  judge(r, s, &profile, false);
  EXPECT_EQ(r.verdict, Verdict::xfail);

  r.verdict = Verdict::fail;
  r.reason = "expect at con.yaml:4:5";
  r.failure->observed = "EOF after 3 bytes";
  judge(r, s, &profile, false);
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.reason, HasSubstr("not as the profile expects (no 'not within 100ms')"));
}

TEST(ExitCode, ErrorWinsOverFailInterruptWinsOverAll) {
  RunResult run;
  EXPECT_EQ(exit_code(run, false), 0);
  run.counts.add(Verdict::non_strict);
  EXPECT_EQ(exit_code(run, false), 0);
  EXPECT_EQ(exit_code(run, true), 1);
  run.counts.add(Verdict::xpass);
  EXPECT_EQ(exit_code(run, false), 1);
  run.counts.add(Verdict::error);
  EXPECT_EQ(exit_code(run, false), 3);
  run.interrupted = true;
  EXPECT_EQ(exit_code(run, false), 130);
}

TEST(ExitCode, AFlakyCaseIsOneAnErrorStillThree) {
  RunResult run;
  run.counts.add(Verdict::pass);
  run.counts.add(Verdict::flaky);
  EXPECT_EQ(exit_code(run, false), 1);
  run.counts.add(Verdict::error);
  EXPECT_EQ(exit_code(run, false), 3);
}

TEST(Plan, MissingCapabilityAndExpectedSkipBecomeSkipsWithReasons) {
  auto s = scenario_with({"CON-1"}, "con/stalled");
  s.families = {scenario::Family::ipv4, scenario::Family::ipv6};
  target::Profile p;
  p.name = "iterative";
  p.capabilities = {"tcp", "ipv4"};
  const std::vector<engine::TargetRef> targets{{&p, std::nullopt}};
  const auto cases = plan_cases({&s}, targets, "/bin");
  ASSERT_EQ(cases.size(), 2U);
  EXPECT_THAT(cases[0].skip.value_or(""), HasSubstr("lacks capability 'concurrent'"));
  p.capabilities.push_back("concurrent");
  const auto again = plan_cases({&s}, targets, "/bin");
  EXPECT_FALSE(again[0].skip.has_value());
  EXPECT_THAT(again[1].skip.value_or(""), HasSubstr("'ipv6'"));
  p.expect.push_back({{}, std::nullopt, "CON-1", target::ExpectedVerdict::skip, "one at a time"});
  EXPECT_EQ(plan_cases({&s}, targets, "/bin")[0].skip.value_or(""), "one at a time");
}

TEST(Plan, ClientScenariosOnlyMeetClientTargets) {
  auto s = scenario_with({"CLI-1"});
  s.role = scenario::Role::client;
  target::Profile server;
  server.capabilities = {"tcp", "ipv4", "ipv6"};
  EXPECT_TRUE(plan_cases({&s}, {{&server, std::nullopt}}, "").empty());
  target::Profile client = server;
  client.role = scenario::Role::client;
  EXPECT_EQ(plan_cases({&s}, {{&client, std::nullopt}}, "").size(), 2U);
}

TEST(Plan, ConnectTargetsRunOneFamilyAndSkipLifecycle) {
  auto s = scenario_with({"EPH-3"});
  s.steps.push_back({{}, scenario::step::Restart{}});
  const auto endpoint = net::Endpoint::parse("[::1]:7");
  const auto cases = plan_cases({&s}, {{nullptr, *endpoint}}, "");
  ASSERT_EQ(cases.size(), 1U);
  EXPECT_EQ(cases[0].spec.family, scenario::Family::ipv6);
  EXPECT_THAT(cases[0].skip.value_or(""), HasSubstr("--connect"));
}

TEST(Plan, PortZeroRunsOnlyWhenTheTargetIsStartedOnPortZero) {  // EPH-1, EPH-2
  auto s = scenario_with({"EPH-1"}, "eph/x");
  s.families = {scenario::Family::ipv4};
  s.needs = {"port-zero"};
  target::Profile p;
  p.capabilities = {"tcp", "ipv4"};
  const std::vector<engine::TargetRef> targets{{&p, std::nullopt}};
  EXPECT_FALSE(plan_cases({&s}, targets, "").at(0).skip.has_value());  // port: ephemeral
  p.port = target::PortPolicy::pick;
  EXPECT_EQ(plan_cases({&s}, targets, "").at(0).skip.value_or(""),
            "the profile starts the target on a port it picks (port: pick), not on port 0");
  p.port = target::PortPolicy::fixed;
  p.fixed_port = 7000;
  EXPECT_EQ(plan_cases({&s}, targets, "").at(0).skip.value_or(""),
            "the profile starts the target on port 7000 (port: 7000), not on port 0");
  const auto endpoint = net::Endpoint::parse("127.0.0.1:7");
  EXPECT_THAT(plan_cases({&s}, {{nullptr, *endpoint}}, "").at(0).skip.value_or(""),
              HasSubstr("not started on port 0"));
  // Without the need, nothing about the port skips it.
  s.needs.clear();
  EXPECT_FALSE(plan_cases({&s}, targets, "").at(0).skip.has_value());
}

TEST(Select, ByIdGlobTagAndRequirement) {
  std::vector<scenario::Scenario> all{scenario_with({"STR-1"}, "str/a"),
                                      scenario_with({"DGR-1"}, "dgr/b")};
  all[1].tags = {"slow"};
  EXPECT_EQ(select_scenarios(all, {{"str/*"}, {}, {}, {}}).size(), 1U);
  EXPECT_EQ(select_scenarios(all, {{}, {"slow"}, {}, {}}).front()->id, "dgr/b");
  EXPECT_EQ(select_scenarios(all, {{}, {}, {"STR-*"}, {}}).front()->id, "str/a");
  EXPECT_EQ(select_scenarios(all, {{}, {}, {}, {"slow"}}).size(), 1U);
  EXPECT_TRUE(select_scenarios(all, {{"nothing"}, {}, {}, {}}).empty());
}

TEST(Shard, SlicesArePartitionAndBadSpecsAreErrors) {
  auto s = scenario_with({"STR-1"});
  std::vector<PlannedCase> cases(7, PlannedCase{CaseSpec{&s, nullptr, {}, {}, ""}, {}});
  std::size_t total = 0;
  for (int k = 1; k <= 3; ++k) {
    const auto part = shard(cases, std::to_string(k) + "/3");
    ASSERT_TRUE(part.ok());
    total += part->size();
  }
  EXPECT_EQ(total, 7U);
  for (const char* bad : {"0/3", "4/3", "1/0", "x", "1/", "/2", "1/2/3"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(shard(cases, bad).ok());
  }
}

}  // namespace
}  // namespace sockspec::engine
