// Verdicts and the run's exit code (see verdict.hpp).
#include "harness/engine/verdict.hpp"

#include <fnmatch.h>

#include <algorithm>

#include "harness/scenario/requirements.hpp"

namespace sockspec::engine {

const target::Expectation* find_expectation(const target::Profile* profile,
                                            const scenario::Scenario& scenario) {
  if (profile == nullptr) return nullptr;
  for (const target::Expectation& e : profile->expect) {
    if (e.scenario && ::fnmatch(e.scenario->c_str(), scenario.id.c_str(), 0) == 0) return &e;
    if (e.requirement && std::find(scenario.requirements.begin(), scenario.requirements.end(),
                                   *e.requirement) != scenario.requirements.end()) {
      return &e;
    }
  }
  return nullptr;
}

bool only_should(const scenario::Scenario& scenario) {
  return !scenario.requirements.empty() &&
         std::all_of(scenario.requirements.begin(), scenario.requirements.end(),
                     [](const std::string& id) {
                       const auto* info = scenario::find_requirement(id);
                       return info != nullptr && info->level == scenario::Level::should;
                     });
}

namespace {

// Everything a failure says, for an expectation's `diagnostic` to be looked up in.
std::string failure_text(const CaseResult& result) {
  std::string text = result.reason;
  if (result.failure) {
    for (const std::string* part : {&result.failure->step, &result.failure->expected,
                                    &result.failure->observed, &result.failure->detail}) {
      text += '\n';
      text += *part;
    }
  }
  return text;
}

}  // namespace

void judge(CaseResult& result, const scenario::Scenario& scenario, const target::Profile* profile,
           bool strict) {
  if (result.verdict != Verdict::pass && result.verdict != Verdict::fail) return;
  const target::Expectation* expected = find_expectation(profile, scenario);
  const bool xfail = expected != nullptr && expected->verdict == target::ExpectedVerdict::xfail;
  if (result.verdict == Verdict::pass) {
    if (xfail) {
      result.verdict = Verdict::xpass;
      result.reason = "passed, but the profile expects it to fail: " + expected->reason;
    }
    return;
  }
  if (xfail && expected->diagnostic &&
      failure_text(result).find(*expected->diagnostic) == std::string::npos) {
    result.reason = "failed, but not as the profile expects (no '" + *expected->diagnostic +
                    "'): " + result.reason;
  } else if (xfail) {
    result.verdict = Verdict::xfail;
    result.reason = expected->reason + " (" + result.reason + ")";
  } else if (only_should(scenario) && !strict) {
    result.verdict = Verdict::non_strict;
  }
}

int exit_code(const RunResult& run, bool strict) {
  if (run.interrupted) return 130;
  if (run.counts.error > 0) return 3;
  if (run.counts.fail > 0 || run.counts.xpass > 0 || run.counts.flaky > 0) return 1;
  if (strict && run.counts.non_strict > 0) return 1;
  return 0;
}

}  // namespace sockspec::engine
