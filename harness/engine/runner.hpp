// The runner: runs each planned case (or records its skip), judges it, and tells the observer;
// stops taking cases once the run is interrupted. Cases start in schedule() order: at most -j
// heavy and -j brief cases at a time, and beside them up to wait_slots(-j) cases that mostly
// wait (schedule.hpp).
#pragma once

#include <functional>
#include <vector>

#include "harness/engine/plan.hpp"
#include "harness/engine/result.hpp"
#include "harness/engine/timings.hpp"

namespace sockspec::engine {

struct RunOptions {
  unsigned jobs = 1;  // heavy cases at a time, and brief ones (1: one case at a time)
  // Durations of earlier runs, for the start order; updated with this run's (nullptr: none).
  Timings* timings = nullptr;
  bool strict = false;
  int stop_fd = -1;  // readable once the run must stop (Ctrl-C); -1: never
  RunInfo info;      // passed through to the result
};

// Called from worker threads, one call at a time (the runner serialises them).
struct RunObserver {
  std::function<void(const CaseResult& planned)> case_start;
  std::function<void(const CaseResult& result)> case_end;
};

[[nodiscard]] RunResult run_cases(const std::vector<PlannedCase>& cases, const RunOptions& options,
                                  const RunObserver& observer);

}  // namespace sockspec::engine
