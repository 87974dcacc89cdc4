// From a case's raw outcome to its verdict: requirement levels (a failed SHOULD is non-strict),
// and the profile's expectations (an expected failure is xfail; an expected failure that passed
// is xpass).
#pragma once

#include "harness/engine/result.hpp"
#include "harness/scenario/model.hpp"
#include "harness/target/profile.hpp"

namespace sockspec::engine {

// The profile's expectation that applies to this scenario (by id glob or requirement), if any.
[[nodiscard]] const target::Expectation* find_expectation(const target::Profile* profile,
                                                          const scenario::Scenario& scenario);

// True when every requirement the scenario checks is a SHOULD.
[[nodiscard]] bool only_should(const scenario::Scenario& scenario);

// Applies levels and expectations to `result` (verdict pass or fail on entry; other verdicts are
// kept). `strict`: a failed SHOULD is a fail.
void judge(CaseResult& result, const scenario::Scenario& scenario, const target::Profile* profile,
           bool strict);

// Exit code of a run (docs/architecture.md): 3 if any error, else 1 if any fail, xpass or flaky (or
// non-strict under `strict`), else 0; 130 when interrupted.
[[nodiscard]] int exit_code(const RunResult& run, bool strict);

}  // namespace sockspec::engine
