// Merging a case's runs in stability mode (see stability.hpp).
#include "harness/engine/stability.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

namespace sockspec::engine {

RunOutcome outcome_of(const CaseResult& run) {
  return RunOutcome{run.run, run.verdict, run.reason, run.failure, run.elapsed, run.first_run};
}

std::vector<const RunOutcome*> first_of_each_verdict(const std::vector<RunOutcome>& runs) {
  std::vector<const RunOutcome*> firsts;
  for (const RunOutcome& r : runs) {
    const bool seen = std::any_of(firsts.begin(), firsts.end(),
                                  [&](const RunOutcome* f) { return f->verdict == r.verdict; });
    if (!seen) firsts.push_back(&r);
  }
  return firsts;
}

std::string flaky_reason(const std::vector<RunOutcome>& runs) {
  std::vector<std::string> parts;
  for (const RunOutcome* first : first_of_each_verdict(runs)) {
    std::vector<unsigned> numbers;
    for (const RunOutcome& r : runs) {
      if (r.verdict == first->verdict) numbers.push_back(r.run);
    }
    parts.push_back(fmt::format("{} in run{} {}", verdict_name(first->verdict),
                                numbers.size() == 1 ? "" : "s", fmt::join(numbers, ", ")));
  }
  return fmt::format("verdicts differ over {} runs: {}", runs.size(), fmt::join(parts, "; "));
}

CaseResult merge_runs(std::vector<CaseResult> runs) {
  std::vector<RunOutcome> outcomes;
  outcomes.reserve(runs.size());
  for (const CaseResult& r : runs) outcomes.push_back(outcome_of(r));
  const Verdict first = runs.front().verdict;
  const bool same = std::all_of(runs.begin(), runs.end(),
                                [&](const CaseResult& r) { return r.verdict == first; });
  if (same) {
    CaseResult merged = std::move(runs.back());
    merged.runs = std::move(outcomes);
    return merged;
  }
  const auto count = [&](Verdict v) {
    return std::count_if(runs.begin(), runs.end(),
                         [&](const CaseResult& r) { return r.verdict == v; });
  };
  const auto most_common =
      std::max_element(runs.begin(), runs.end(), [&](const CaseResult& a, const CaseResult& b) {
        return count(a.verdict) < count(b.verdict);
      });
  const Verdict usual = most_common->verdict;
  const auto odd = std::find_if(runs.begin(), runs.end(),
                                [&](const CaseResult& r) { return r.verdict != usual; });
  CaseResult merged = std::move(*odd);
  merged.verdict = Verdict::flaky;
  merged.reason = flaky_reason(outcomes);
  merged.runs = std::move(outcomes);
  return merged;
}

}  // namespace sockspec::engine
