// The runner: a pool of -j workers takes planned cases in order, runs each (or records its skip),
// judges it, and tells the observer; stops taking cases once the run is interrupted.
#pragma once

#include <functional>
#include <vector>

#include "harness/engine/plan.hpp"
#include "harness/engine/result.hpp"

namespace sockspec::engine {

struct RunOptions {
  unsigned jobs = 1;
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
