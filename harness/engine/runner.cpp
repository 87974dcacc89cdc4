// The worker pool (see runner.hpp).
#include "harness/engine/runner.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <thread>

#include "harness/engine/case_runner.hpp"
#include "harness/engine/schedule.hpp"
#include "harness/engine/stability.hpp"
#include "harness/engine/verdict.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine {
namespace {

// How often a worker waiting for a free slot looks for an interrupt.
constexpr std::chrono::milliseconds kStopPoll{100};

bool stopped(int stop_fd) {
  if (stop_fd < 0) return false;
  return net::wait_for(stop_fd, POLLIN, -1, std::chrono::milliseconds(0)).outcome ==
         net::WaitOutcome::kReady;
}

// Whether a case with this verdict, run beside others, runs again alone (runner.hpp).
// A failed SHOULD (non-strict) is a failure too: starved, it flipped pass/non-strict under load.
bool rerun_alone(Verdict v) {
  return v == Verdict::fail || v == Verdict::xpass || v == Verdict::non_strict;
}

// Where a pass puts each case's final result: its index in the pass's list, and the result.
// Called one call at a time, after the observer's case_end.
using Sink = std::function<void(std::size_t index, CaseResult result)>;

// Runs each case of `reruns` again, one at a time; its result (the rerun's, or on an interrupt
// the first run's, kept in `first_runs`) goes to `sink`. Returns false when interrupted.
bool run_alone(const std::vector<PlannedCase>& cases, const std::vector<unsigned>& run_of,
               const std::vector<std::size_t>& reruns, const RunOptions& options,
               std::map<std::size_t, CaseResult>& first_runs) {
  SharedTarget shared;  // destroyed (killed, reaped) before returning
  for (const std::size_t index : reruns) {
    if (stopped(options.stop_fd)) return false;
    const PlannedCase& c = cases[index];
    CaseRun run = run_case(c.spec, options.stop_fd, &shared);
    if (run.interrupted) return false;
    judge(run.result, *c.spec.scenario, c.spec.profile, options.strict);
    run.result.run = run_of[index];
    const CaseResult& first = first_runs.at(index);
    run.result.expected = first.expected;
    run.result.first_run = fmt::format("{}: {}", verdict_name(first.verdict), first.reason);
    std::vector<TranscriptEntry>& transcript = run.result.transcript;
    TranscriptEntry note;
    note.text = "run again alone: beside other cases it ended " + *run.result.first_run;
    transcript.push_back(std::move(note));
    std::rotate(transcript.begin(), transcript.end() - 1, transcript.end());  // it comes first
    first_runs.at(index) = std::move(run.result);
  }
  return true;
}

// The profile of a target whose cases must run one at a time, else nullptr (never in the set).
const target::Profile* serial_profile(const PlannedCase& c) {
  return c.spec.profile != nullptr && c.spec.profile->serial ? c.spec.profile : nullptr;
}

// Runs every case of `cases` once (or records its skip or error), with -j workers, then reruns
// alone at most `max_reruns` of those that failed beside others; each final result goes to
// `sink` as it is known. `run_of[i]`: the run number that cases[i]'s result carries
// (CaseResult::run). Returns false when interrupted (cases not run have no result).
bool run_pass(const std::vector<PlannedCase>& cases, const std::vector<unsigned>& run_of,
              const RunOptions& options, std::size_t max_reruns, const RunObserver& observer,
              const Sink& sink) {
  const Timings none;
  std::vector<ScheduledCase> order =
      schedule(cases, options.timings != nullptr ? *options.timings : none);
  const unsigned jobs = std::max(1U, options.jobs);
  std::array<unsigned, kSlotKinds> limit{jobs, jobs, wait_slots(jobs), idle_slots(jobs)};
  if (jobs == 1) {  // one case at a time, whatever its kind
    limit = {0, 1, 0, 0};
    for (ScheduledCase& sc : order) sc.slot = Slot::brief;
  }

  std::map<std::size_t, CaseResult> first_runs;  // of the cases to run again alone
  std::vector<bool> taken(order.size(), false);
  std::size_t first_open = 0;  // every entry of `order` before it is taken
  std::array<unsigned, kSlotKinds> running{};
  std::set<const target::Profile*> serial_running;  // serial profiles with a case running
  bool interrupted = false;
  std::vector<std::size_t> reruns;  // cases to run again alone, in the order they ended
  std::mutex m;                     // guards all of the above, the observer and options.timings
  std::condition_variable freed;

  // The next case a free slot may start (its position in `order`), or nullopt when none is left.
  // Waits while every remaining case needs a slot kind that is full.
  const auto take = [&](std::unique_lock<std::mutex>& lock) -> std::optional<std::size_t> {
    for (;;) {
      if (interrupted || stopped(options.stop_fd)) {
        interrupted = true;
        return std::nullopt;
      }
      while (first_open < order.size() && taken[first_open]) ++first_open;
      if (first_open == order.size()) return std::nullopt;
      for (std::size_t p = first_open; p < order.size(); ++p) {
        const PlannedCase& c = cases[order[p].index];
        const auto slot = static_cast<std::size_t>(order[p].slot);
        if (taken[p]) continue;
        if (!c.skip && !c.error &&
            (running[slot] >= limit[slot] || serial_running.contains(serial_profile(c)))) {
          continue;
        }
        taken[p] = true;
        return p;
      }
      freed.wait_for(lock, kStopPoll);
    }
  };

  const auto work = [&] {
    SharedTarget shared;  // destroyed (killed, reaped) when this worker ends
    std::unique_lock lock(m);
    while (const std::optional<std::size_t> p = take(lock)) {
      const ScheduledCase& sc = order[*p];
      const PlannedCase& c = cases[sc.index];
      const auto slot = static_cast<std::size_t>(sc.slot);
      CaseResult result = describe_case(c.spec);
      result.run = run_of[sc.index];
      result.expected = sc.expected;
      if (observer.case_start) observer.case_start(result);
      if (c.skip) {
        result.verdict = Verdict::skip;
        result.reason = *c.skip;
      } else if (c.error) {
        result.verdict = Verdict::error;
        result.reason = *c.error;
      } else {
        ++running[slot];
        if (const target::Profile* sp = serial_profile(c)) serial_running.insert(sp);
        lock.unlock();
        CaseRun run = run_case(c.spec, options.stop_fd, &shared);
        lock.lock();
        --running[slot];
        if (const target::Profile* sp = serial_profile(c)) serial_running.erase(sp);
        freed.notify_all();
        if (run.interrupted) {
          interrupted = true;  // an interrupted case has no verdict: it is left out of the reports
          break;
        }
        result = std::move(run.result);
        result.run = run_of[sc.index];
        result.expected = sc.expected;
        judge(result, *c.spec.scenario, c.spec.profile, options.strict);
        if (options.timings != nullptr) {
          options.timings->record(Timings::key(c.spec), result.elapsed);
        }
        if (jobs > 1 && rerun_alone(result.verdict) && reruns.size() < max_reruns) {
          reruns.push_back(sc.index);  // its end is told after the rerun
          if (observer.case_deferred) observer.case_deferred(result);
          first_runs.emplace(sc.index, std::move(result));
          continue;
        }
      }
      if (observer.case_end) observer.case_end(result);
      sink(sc.index, std::move(result));
    }
    freed.notify_all();
  };
  {
    std::vector<std::jthread> workers;
    const unsigned workers_needed = std::accumulate(limit.begin(), limit.end(), 0U);
    for (unsigned j = 0; j < workers_needed; ++j) workers.emplace_back(work);
  }
  if (!interrupted && !run_alone(cases, run_of, reruns, options, first_runs)) interrupted = true;
  for (const std::size_t index : reruns) {  // the rerun's result, or the first run's
    if (observer.case_end) observer.case_end(first_runs.at(index));
    sink(index, std::move(first_runs.at(index)));
  }
  return !interrupted;
}

bool runs(const PlannedCase& c) {
  return !c.skip && !c.error;
}

// Stability mode (runner.hpp): every run of every case, each case's runs merged into
// `results`. Returns false when interrupted.
bool run_repeated(const std::vector<PlannedCase>& cases, const RunOptions& options, unsigned repeat,
                  const RunObserver& observer, std::vector<std::optional<CaseResult>>& results) {
  // The runs to make, round by round: (index in `cases`, run number). Round 1 has every case,
  // the later ones the cases that run.
  std::vector<std::vector<std::pair<std::size_t, unsigned>>> rounds(repeat);
  for (unsigned r = 0; r < repeat; ++r) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      if (r == 0 || runs(cases[i])) rounds[r].emplace_back(i, r + 1);
    }
  }
  if (!options.rounds) {  // --repeat: one pass over every run
    for (unsigned r = 1; r < repeat; ++r) {
      rounds.front().insert(rounds.front().end(), rounds[r].begin(), rounds[r].end());
    }
    rounds.resize(1);
  }
  const std::size_t max_reruns = kMaxRerunsAlone * (options.rounds ? 1 : repeat);
  std::vector<CaseRuns> runs_of(cases.size());
  bool completed = true;
  for (const auto& round : rounds) {
    std::vector<PlannedCase> list;
    std::vector<unsigned> run_of;
    for (const auto& [index, run] : round) {
      list.push_back(cases[index]);
      run_of.push_back(run);
    }
    completed =
        run_pass(list, run_of, options, max_reruns, observer,
                 [&](std::size_t k, CaseResult r) { runs_of[round[k].first].add(std::move(r)); });
    if (!completed) break;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!runs_of[i].empty()) results[i] = std::move(runs_of[i]).merge();
  }
  return completed;
}

}  // namespace

std::size_t planned_runs(const std::vector<PlannedCase>& cases, unsigned repeat) {
  const auto running = static_cast<std::size_t>(std::count_if(cases.begin(), cases.end(), runs));
  return cases.size() + running * (std::max(1U, repeat) - 1);
}

std::chrono::milliseconds planned_time(const std::vector<PlannedCase>& cases,
                                       const Timings& timings, unsigned repeat) {
  std::chrono::milliseconds total{0};
  for (const ScheduledCase& sc : schedule(cases, timings)) total += sc.expected;
  return total * std::max(1U, repeat);
}

RunResult run_cases(const std::vector<PlannedCase>& cases, const RunOptions& options,
                    const RunObserver& observer) {
  const auto started = std::chrono::steady_clock::now();
  const unsigned repeat = std::clamp(options.repeat, 1U, kMaxRepeat);
  const bool stability = repeat > 1 || options.rounds;
  std::vector<std::optional<CaseResult>> results(cases.size());
  const bool completed =
      stability ? run_repeated(cases, options, repeat, observer, results)
                : run_pass(cases, std::vector<unsigned>(cases.size(), 0), options, kMaxRerunsAlone,
                           observer,
                           [&](std::size_t index, CaseResult r) { results[index] = std::move(r); });

  RunResult run;
  run.info = options.info;
  run.info.cases = cases.size();
  run.interrupted = !completed;
  for (std::optional<CaseResult>& r : results) {
    if (!r) continue;
    run.counts.add(r->verdict);
    run.cases.push_back(std::move(*r));
  }
  run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return run;
}

}  // namespace sockspec::engine
