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

void CaseRuns::add(CaseResult run) {
  outcomes_.push_back(outcome_of(run));
  const auto first = std::find_if(firsts_.begin(), firsts_.end(),
                                  [&](const CaseResult& f) { return f.verdict == run.verdict; });
  const bool is_last = !last_ || last_->run < run.run;
  if (first == firsts_.end() || first->run > run.run) {
    if (is_last) last_ = run;  // a copy: it is the first of its verdict too
    if (first == firsts_.end()) {
      firsts_.push_back(std::move(run));
    } else {
      *first = std::move(run);
    }
  } else if (is_last) {
    last_ = std::move(run);
  }
}

CaseResult CaseRuns::merge() && {
  std::sort(outcomes_.begin(), outcomes_.end(),
            [](const RunOutcome& a, const RunOutcome& b) { return a.run < b.run; });
  const Verdict first = outcomes_.front().verdict;
  const bool same = std::all_of(outcomes_.begin(), outcomes_.end(),
                                [&](const RunOutcome& r) { return r.verdict == first; });
  if (same) {
    CaseResult merged = std::move(*last_);
    merged.runs = std::move(outcomes_);
    return merged;
  }
  const auto count = [&](Verdict v) {
    return std::count_if(outcomes_.begin(), outcomes_.end(),
                         [&](const RunOutcome& r) { return r.verdict == v; });
  };
  const Verdict usual = std::max_element(outcomes_.begin(), outcomes_.end(),
                                         [&](const RunOutcome& a, const RunOutcome& b) {
                                           return count(a.verdict) < count(b.verdict);
                                         })
                            ->verdict;
  const Verdict odd = std::find_if(outcomes_.begin(), outcomes_.end(), [&](const RunOutcome& r) {
                        return r.verdict != usual;
                      })->verdict;
  CaseResult merged = std::move(*std::find_if(
      firsts_.begin(), firsts_.end(), [&](const CaseResult& f) { return f.verdict == odd; }));
  merged.verdict = Verdict::flaky;
  merged.reason = flaky_reason(outcomes_);
  merged.runs = std::move(outcomes_);
  return merged;
}

CaseResult merge_runs(std::vector<CaseResult> runs) {
  CaseRuns collected;
  for (CaseResult& r : runs) collected.add(std::move(r));
  return std::move(collected).merge();
}

}  // namespace sockspec::engine
