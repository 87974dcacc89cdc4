// The runner's schedule at work: cases that mostly wait run beside the others, heavy and brief
// cases never more than -j at a time each, results in plan order, durations recorded.
#include "harness/engine/runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "harness/engine/schedule.hpp"
#include "harness/scenario/loader.hpp"
#include "targets/testing/scripted_peers.hpp"

namespace sockspec::engine {
namespace {

namespace t = sockspec::testing;

scenario::Scenario load(const std::string& id, const std::string& steps) {
  auto s = scenario::load_scenario_text(
      "id: " + id + "\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nfamilies: [ipv4]\n" +
          "steps:\n" + steps,
      "t.yaml");
  EXPECT_TRUE(s) << s.error().message;
  return s ? std::move(s).value() : scenario::Scenario{};
}

// Accepts every connection and holds it open, silent, until the test ends; with `close_first`,
// closes the first one it accepts at once instead.
class SilentServer {
 public:
  explicit SilentServer(bool close_first = false)
      : acceptor_(t::tcp_acceptor("127.0.0.1")),
        endpoint_(t::local(acceptor_.socket())),
        thread_([this, close_first](int stop_fd) {
          if (close_first) {
            if (auto first = t::accept_one(acceptor_, stop_fd)) *first = net::Socket();
          }
          while (auto s = t::accept_one(acceptor_, stop_fd)) held_.push_back(std::move(*s));
        }) {}
  [[nodiscard]] const net::Endpoint& endpoint() const { return endpoint_; }

 private:
  net::Acceptor acceptor_;
  net::Endpoint endpoint_;
  std::vector<net::Socket> held_;
  t::PeerThread thread_;
};

const char* const kWaits = "  - connect: {}\n  - expect-silence: {for: 600ms}\n";
const char* const kBrief = "  - connect: {}\n";
const char* const kHeavy =
    "  - parallel:\n      clients: 100\n      steps:\n        - connect: {}\n";

// How many cases of each kind (the id's second part: "heavy", "waits", "brief") ran at once.
struct Concurrency {
  std::map<std::string, unsigned> now, most;
  RunObserver observer() {
    const auto kind = [](const CaseResult& c) {
      return c.scenario_id.substr(2, c.scenario_id.find('-') - 2);
    };
    return {[this, kind](const CaseResult& c) {
              most[kind(c)] = std::max(most[kind(c)], ++now[kind(c)]);
            },
            [this, kind](const CaseResult& c) { --now[kind(c)]; }};
  }
};

std::vector<PlannedCase> plan(const std::vector<scenario::Scenario>& scenarios,
                              const net::Endpoint& server) {
  std::vector<PlannedCase> cases;
  for (const auto& s : scenarios) {
    cases.push_back({CaseSpec{&s, nullptr, server, scenario::Family::ipv4, ""}});
  }
  return cases;
}

TEST(Runner, WaitingCasesRunBesideTheJobsHeavyOnesNeverMoreThanTheJobs) {
  const SilentServer server;
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 4; ++i) scenarios.push_back(load("t/heavy-" + std::to_string(i), kHeavy));
  for (int i = 0; i < 20; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kWaits));
  for (int i = 0; i < 6; ++i) scenarios.push_back(load("t/brief-" + std::to_string(i), kBrief));
  const std::vector<PlannedCase> cases = plan(scenarios, server.endpoint());

  Concurrency seen;
  Timings timings;
  RunOptions options;
  options.jobs = 2;
  options.timings = &timings;
  const RunResult run = run_cases(cases, options, seen.observer());

  ASSERT_EQ(run.cases.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(run.cases[i].scenario_id, scenarios[i].id);  // plan order, whatever the start order
    EXPECT_EQ(run.cases[i].verdict, Verdict::pass) << run.cases[i].reason;
  }
  EXPECT_EQ(seen.most["waits"], wait_slots(2));  // 4 waiting cases at -j2...
  EXPECT_LE(seen.most["heavy"], 2U);             // ...beside at most 2 heavy ones
  EXPECT_LE(seen.most["brief"], 2U);             // ...and 2 brief ones
  EXPECT_EQ(timings.size(), cases.size());
  const std::chrono::milliseconds* waited = timings.find(Timings::key(cases[4].spec));
  ASSERT_NE(waited, nullptr);
  EXPECT_GE(waited->count(), 600);
}

TEST(Runner, OneJobRunsOneCaseAtATime) {
  const SilentServer server;
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 3; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kWaits));
  Concurrency seen;
  RunOptions options;
  options.jobs = 1;
  const RunResult run = run_cases(plan(scenarios, server.endpoint()), options, seen.observer());
  EXPECT_EQ(run.counts.pass, 3U);
  EXPECT_EQ(seen.most["waits"], 1U);
}

TEST(Runner, ASerialTargetsCasesNeverOverlap) {
  const SilentServer server;
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 6; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kWaits));
  target::Profile serial;
  serial.name = "fixed-files";
  serial.serial = true;
  std::vector<PlannedCase> cases = plan(scenarios, server.endpoint());
  for (PlannedCase& c : cases) c.spec.profile = &serial;
  Concurrency seen;
  RunOptions options;
  options.jobs = 2;
  const RunResult run = run_cases(cases, options, seen.observer());
  EXPECT_EQ(run.counts.pass, 6U);
  EXPECT_EQ(seen.most["waits"], 1U);
}

// Counts the ends told to the observer, per case.
struct Ends {
  std::map<std::string, unsigned> told;
  RunObserver observer() {
    return {{}, [this](const CaseResult& c) { ++told[c.scenario_id]; }};
  }
};

const char* const kSilence = "  - connect: {}\n  - expect-silence: {for: 300ms}\n";

TEST(Runner, ACaseFailingBesideOthersRunsAgainAloneAndThatVerdictCounts) {
  const SilentServer server(/*close_first=*/true);
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 3; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kSilence));
  Ends ends;
  RunOptions options;
  options.jobs = 2;
  const RunResult run = run_cases(plan(scenarios, server.endpoint()), options, ends.observer());
  EXPECT_EQ(run.counts.pass, 3U);
  const auto rerun = std::count_if(run.cases.begin(), run.cases.end(),
                                   [](const CaseResult& c) { return c.first_run.has_value(); });
  ASSERT_EQ(rerun, 1);
  for (const CaseResult& c : run.cases) {
    if (!c.first_run) continue;
    EXPECT_TRUE(c.first_run->starts_with("fail: ")) << *c.first_run;
    ASSERT_FALSE(c.transcript.empty());
    EXPECT_TRUE(c.transcript.front().text.starts_with("run again alone"))
        << c.transcript.front().text;
  }
  for (const scenario::Scenario& s : scenarios) EXPECT_EQ(ends.told[s.id], 1U) << s.id;
}

TEST(Runner, OneJobRunsNoCaseAgain) {
  const SilentServer server(/*close_first=*/true);
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 3; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kSilence));
  RunOptions options;
  options.jobs = 1;
  const RunResult run = run_cases(plan(scenarios, server.endpoint()), options, {});
  EXPECT_EQ(run.counts.pass, 2U);
  EXPECT_EQ(run.counts.fail, 1U);
  for (const CaseResult& c : run.cases) EXPECT_FALSE(c.first_run.has_value());
}

// A failed SHOULD beside others is starved like a failed MUST: it runs again alone too (it
// flipped between pass and non-strict under load in the main job's --verify).
TEST(Runner, AFailedShouldBesideOthersRunsAgainAloneToo) {
  const SilentServer server(/*close_first=*/true);
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 3; ++i) {
    auto s = load("t/waits-" + std::to_string(i), kSilence);
    s.requirements = {"STR-8"};  // a SHOULD: its failure is non-strict
    scenarios.push_back(std::move(s));
  }
  RunOptions options;
  options.jobs = 2;
  const RunResult run = run_cases(plan(scenarios, server.endpoint()), options, {});
  EXPECT_EQ(run.counts.pass, 3U);
  const auto rerun = std::count_if(run.cases.begin(), run.cases.end(),
                                   [](const CaseResult& c) { return c.first_run.has_value(); });
  EXPECT_EQ(rerun, 1);
}

TEST(Runner, AFailureAloneToo) {
  const SilentServer server;
  std::vector<scenario::Scenario> scenarios;
  scenarios.push_back(load("t/fails", "  - connect: {}\n  - expect: {text: x, within: 50ms}\n"));
  scenarios.push_back(load("t/waits", kWaits));
  RunOptions options;
  options.jobs = 2;
  const RunResult run = run_cases(plan(scenarios, server.endpoint()), options, {});
  ASSERT_EQ(run.cases.size(), 2U);
  EXPECT_EQ(run.cases[0].verdict, Verdict::fail);
  ASSERT_TRUE(run.cases[0].first_run.has_value());
  EXPECT_TRUE(run.cases[0].first_run->starts_with("fail: ")) << *run.cases[0].first_run;
  EXPECT_EQ(run.cases[1].verdict, Verdict::pass);
}

TEST(Runner, RepeatRunsEachCaseNTimesAndADifferingVerdictIsFlaky) {
  const SilentServer server(/*close_first=*/true);  // the first run fails, the others pass
  std::vector<scenario::Scenario> scenarios;
  scenarios.push_back(load("t/waits", kSilence));
  std::vector<PlannedCase> cases = plan(scenarios, server.endpoint());
  cases.push_back(cases.front());
  cases.back().skip = "no ipv6";  // a skip is reported once
  Ends ends;
  RunOptions options;
  options.jobs = 1;
  options.repeat = 3;
  EXPECT_EQ(planned_runs(cases, options.repeat), 4U);
  const RunResult run = run_cases(cases, options, ends.observer());
  EXPECT_EQ(ends.told["t/waits"], 4U);
  ASSERT_EQ(run.cases.size(), 2U);
  const CaseResult& flaky = run.cases[0];
  EXPECT_EQ(flaky.verdict, Verdict::flaky);
  ASSERT_EQ(flaky.runs.size(), 3U);
  EXPECT_EQ(flaky.runs[0].verdict, Verdict::fail);
  EXPECT_EQ(flaky.runs[1].verdict, Verdict::pass);
  EXPECT_EQ(flaky.reason, "verdicts differ over 3 runs: fail in run 1; pass in runs 2, 3");
  EXPECT_EQ(run.cases[1].verdict, Verdict::skip);
  EXPECT_EQ(run.cases[1].runs.size(), 1U);
  EXPECT_EQ(run.counts.flaky, 1U);
  EXPECT_EQ(run.counts.skip, 1U);
}

TEST(Runner, VerifyRunsTheSelectionInRoundsEachRunJudgedAsANormalRun) {
  const SilentServer server(/*close_first=*/true);
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 2; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kSilence));
  std::vector<unsigned> runs_started;
  RunObserver observer{[&](const CaseResult& c) { runs_started.push_back(c.run); }, {}};
  RunOptions options;
  options.jobs = 2;  // the run that fails beside the other case passes alone: not flaky
  options.repeat = 2;
  options.rounds = true;
  const RunResult run = run_cases(plan(scenarios, server.endpoint()), options, observer);
  // Round 1 (both cases), then round 2; the rerun alone is not a new start.
  EXPECT_EQ(runs_started, (std::vector<unsigned>{1, 1, 2, 2}));
  EXPECT_EQ(run.counts.pass, 2U);
  EXPECT_EQ(run.counts.flaky, 0U);
  const auto rerun = std::count_if(run.cases.begin(), run.cases.end(), [](const CaseResult& c) {
    return c.runs.size() == 2 && (c.runs[0].first_run || c.runs[1].first_run);
  });
  EXPECT_EQ(rerun, 1);
}

// The console's progress needs each case's expected duration when it starts, the run's sum
// beforehand, and to hear of a first run whose end is told only after its rerun alone.
TEST(Runner, CasesCarryTheirExpectedDurationAndDeferredFirstRunsAreTold) {
  const SilentServer server(/*close_first=*/true);
  std::vector<scenario::Scenario> scenarios;
  for (int i = 0; i < 3; ++i) scenarios.push_back(load("t/waits-" + std::to_string(i), kSilence));
  const std::vector<PlannedCase> cases = plan(scenarios, server.endpoint());
  Timings timings;
  timings.record(Timings::key(cases[0].spec), std::chrono::milliseconds(700));
  // The record, else the scenario's own 300 ms of silence.
  EXPECT_EQ(planned_time(cases, timings, 1), std::chrono::milliseconds(700 + 300 + 300));
  EXPECT_EQ(planned_time(cases, timings, 2), std::chrono::milliseconds(2 * 1300));

  std::map<std::string, std::chrono::milliseconds> expected;
  std::vector<std::string> deferred;
  RunObserver observer;
  observer.case_start = [&](const CaseResult& c) { expected[c.scenario_id] = c.expected; };
  observer.case_deferred = [&](const CaseResult& c) { deferred.push_back(c.scenario_id); };
  RunOptions options;
  options.jobs = 2;
  options.timings = &timings;
  const RunResult run = run_cases(cases, options, observer);
  EXPECT_EQ(expected["t/waits-0"], std::chrono::milliseconds(700));
  EXPECT_EQ(expected["t/waits-1"], std::chrono::milliseconds(300));
  ASSERT_EQ(deferred.size(), 1U);  // the one that failed beside the others
  const auto rerun = std::find_if(run.cases.begin(), run.cases.end(),
                                  [](const CaseResult& c) { return c.first_run.has_value(); });
  ASSERT_NE(rerun, run.cases.end());
  EXPECT_EQ(rerun->scenario_id, deferred.front());
}

}  // namespace
}  // namespace sockspec::engine
