// The worker pool (see runner.hpp).
#include "harness/engine/runner.hpp"

#include <poll.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "harness/engine/case_runner.hpp"
#include "harness/engine/verdict.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine {
namespace {

bool stopped(int stop_fd) {
  if (stop_fd < 0) return false;
  return net::wait_for(stop_fd, POLLIN, -1, std::chrono::milliseconds(0)).outcome ==
         net::WaitOutcome::kReady;
}

}  // namespace

RunResult run_cases(const std::vector<PlannedCase>& cases, const RunOptions& options,
                    const RunObserver& observer) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::optional<CaseResult>> results(cases.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> interrupted{false};
  std::mutex report;

  const auto work = [&] {
    SharedTarget shared;  // destroyed (killed, reaped) when this worker ends
    for (;;) {
      if (stopped(options.stop_fd)) {
        interrupted = true;
        return;
      }
      const std::size_t i = next.fetch_add(1);
      if (i >= cases.size()) return;
      const PlannedCase& c = cases[i];
      CaseResult result = describe_case(c.spec);
      {
        const std::lock_guard lock(report);
        if (observer.case_start) observer.case_start(result);
      }
      if (c.skip) {
        result.verdict = Verdict::skip;
        result.reason = *c.skip;
      } else if (c.error) {
        result.verdict = Verdict::error;
        result.reason = *c.error;
      } else {
        CaseRun run = run_case(c.spec, options.stop_fd, &shared);
        if (run.interrupted) {
          interrupted = true;
          return;  // an interrupted case has no verdict: it is left out of the reports
        }
        result = std::move(run.result);
        judge(result, *c.spec.scenario, c.spec.profile, options.strict);
      }
      const std::lock_guard lock(report);
      if (observer.case_end) observer.case_end(result);
      results[i] = std::move(result);
    }
  };
  {
    std::vector<std::jthread> workers;
    const unsigned jobs = std::max(1U, options.jobs);
    for (unsigned j = 0; j < jobs; ++j) workers.emplace_back(work);
  }

  RunResult run;
  run.info = options.info;
  run.info.cases = cases.size();
  run.interrupted = interrupted;
  for (auto& r : results) {
    if (!r) continue;
    run.counts.add(r->verdict);
    run.cases.push_back(std::move(*r));
  }
  run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return run;
}

}  // namespace sockspec::engine
