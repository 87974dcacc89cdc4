// The runner: runs each planned case (or records its skip), judges it, and tells the observer;
// stops taking cases once the run is interrupted. Cases start in schedule() order: at most -j
// heavy and -j brief cases at a time, and beside them up to wait_slots(-j) cases that mostly
// wait (schedule.hpp).
// A case that fails (a MUST: fail; a SHOULD: non-strict), or passes where a failure was
// expected (xpass), while others ran beside it may have been starved by them: once every case has
// run, it runs again alone, and that run's verdict counts, as in a -j1 run (at most kMaxRerunsAlone
// per run; the rest keep their first verdict). The rerun's result says what the first run saw
// (CaseResult::first_run).
//
// Stability mode (`repeat` > 1, or `rounds`): each case runs `repeat` times. With `rounds`
// (--verify) the whole selection runs `repeat` times over, one round after another, each round a
// run as above (its own reruns alone); else (--repeat N) every run of every case is in one pass,
// scheduled as N copies of the selection (runs of one case may run beside each other), with up to
// N * kMaxRerunsAlone reruns alone. Either way a run's verdict is the one a normal run would
// report: a run that fails beside others and passes alone is a pass, so `flaky` means a normal run
// could report either verdict. Cases that do not run (skip, or an error at planning) are reported
// once. The observer hears of every run (CaseResult::run); the RunResult has one merged result
// per case (stability.hpp), and Timings records every run (it keeps the shortest).
#pragma once

#include <functional>
#include <vector>

#include "harness/engine/plan.hpp"
#include "harness/engine/result.hpp"
#include "harness/engine/timings.hpp"

namespace sockspec::engine {

inline constexpr std::size_t kMaxRerunsAlone = 20;

struct RunOptions {
  unsigned jobs = 1;  // heavy cases at a time, and brief ones (1: one case at a time)
  // Durations of earlier runs, for the start order; updated with this run's (nullptr: none).
  Timings* timings = nullptr;
  bool strict = false;
  int stop_fd = -1;     // readable once the run must stop (Ctrl-C); -1: never
  RunInfo info;         // passed through to the result
  unsigned repeat = 1;  // runs of each case (stability mode when > 1 or with `rounds`)
  bool rounds = false;  // --verify: the runs are rounds of the whole selection
};

// How many case runs a run of `cases` makes: the cases that run, `repeat` times each, and the
// skips and errors once.
[[nodiscard]] std::size_t planned_runs(const std::vector<PlannedCase>& cases, unsigned repeat);

// How long a run of `cases` is expected to take, one case after another: each case's expected
// duration as the schedule sees it (schedule.hpp), `repeat` times; skips and errors 0.
[[nodiscard]] std::chrono::milliseconds planned_time(const std::vector<PlannedCase>& cases,
                                                     const Timings& timings, unsigned repeat);

// Called from worker threads, one call at a time (the runner serialises them). case_start's
// result carries the case's expected duration (CaseResult::expected). A case that runs again
// alone has its first run's end told to case_deferred, and its one case_end after the rerun.
struct RunObserver {
  std::function<void(const CaseResult& planned)> case_start;
  std::function<void(const CaseResult& result)> case_end;
  std::function<void(const CaseResult& first_run)> case_deferred{};
};

[[nodiscard]] RunResult run_cases(const std::vector<PlannedCase>& cases, const RunOptions& options,
                                  const RunObserver& observer);

}  // namespace sockspec::engine
