// Stability mode (--repeat, --verify): the runs of one case merged into its result. A case whose
// runs all ended with the same verdict keeps it; one whose runs differ is `flaky`, and keeps every
// run's verdict and diagnostic so that the reports can show each.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/engine/result.hpp"

namespace sockspec::engine {

// The most runs of each case: --repeat and --verify=N take at most this many.
inline constexpr unsigned kMaxRepeat = 1000;
// --verify's runs of the selection when no count is given.
inline constexpr unsigned kDefaultVerifyRuns = 5;

// The run's outcome as CaseResult::runs keeps it.
[[nodiscard]] RunOutcome outcome_of(const CaseResult& run);

// The runs of one case, collected as they end (in any order). Every run's outcome is kept, but
// the whole result (transcript, stderr) of only the last run and of the first run of each
// verdict: what merge() may return. So memory does not grow with the transcripts of N runs.
class CaseRuns {
 public:
  void add(CaseResult run);
  [[nodiscard]] bool empty() const { return outcomes_.empty(); }
  // One result for the case (not empty()): `runs` holds every outcome in run order. All verdicts
  // equal: the last run's result. Else verdict `flaky`, reason flaky_reason(), and the
  // transcript, failure and stderr of the first run whose verdict is not the most common one
  // (the odd one out, usually the one worth reading).
  [[nodiscard]] CaseResult merge() &&;

 private:
  std::vector<RunOutcome> outcomes_;
  std::vector<CaseResult> firsts_;  // the first run of each verdict
  std::optional<CaseResult> last_;
};

// CaseRuns::merge() of `runs` (at least one, each with its `run`).
[[nodiscard]] CaseResult merge_runs(std::vector<CaseResult> runs);

// "verdicts differ over 5 runs: pass in runs 1, 2, 4, 5; fail in run 3"
[[nodiscard]] std::string flaky_reason(const std::vector<RunOutcome>& runs);

// For each verdict seen, in the order first seen, the first run that ended with it.
[[nodiscard]] std::vector<const RunOutcome*> first_of_each_verdict(
    const std::vector<RunOutcome>& runs);

}  // namespace sockspec::engine
