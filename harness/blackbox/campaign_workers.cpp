// run_workers: the threads of a campaign, its status line and its one result.
#include "harness/blackbox/campaign_workers.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "harness/blackbox/campaign_report.hpp"
#include "harness/target/instance.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;

enum class Phase { starting, fuzzing, aborted };

// One worker as the main thread sees it; guarded by Workers::mutex.
struct Slot {
  bool ready = false;  // its target started, or could not
  std::optional<net::Endpoint> endpoint{};
  std::optional<std::string> error{};  // its target could not start
  bool done = false;
  CampaignResult result{};
};

// What the main thread and the workers share; everything under `mutex`, but `shared`, which is
// set before the phase becomes fuzzing and guards itself.
struct Workers {
  std::mutex mutex;
  std::condition_variable changed;
  Phase phase = Phase::starting;
  std::vector<Slot> slots;
  std::optional<SharedCampaign> shared;

  [[nodiscard]] bool all(bool Slot::*flag) const {
    return std::all_of(slots.begin(), slots.end(), [&](const Slot& s) { return s.*flag; });
  }
};

// Coverage-guided: the worker's own edge map, and `spec` with the map in its target's environment.
net::Result<std::optional<CoverageMap>> coverage_for(LiveTargetSpec& spec,
                                                     const CampaignOptions& o) {
  if (o.coverage_map_size == 0 || !spec.profile) return std::optional<CoverageMap>();
  net::Result<CoverageMap> map = CoverageMap::create(o.coverage_map_size);
  if (!map) return net::Error{"--coverage afl: " + map.error().message};
  spec.profile->env =
      coverage_environment(*map, std::move(spec.profile->env), std::getenv("ASAN_OPTIONS"));
  return std::optional<CoverageMap>(std::move(map).value());
}

// A worker's thread: starts its target (from this thread, which outlives it: PR_SET_PDEATHSIG),
// waits for the others, fuzzes, stops its target.
void work(Workers& w, std::size_t index, LiveTargetSpec spec, const CampaignOptions& o) {
  net::Result<std::optional<CoverageMap>> coverage = coverage_for(spec, o);
  net::Result<LiveTarget> target =
      coverage ? LiveTarget::start(spec) : net::Result<LiveTarget>(coverage.error());
  std::unique_lock lock(w.mutex);
  Slot& slot = w.slots[index];
  slot.ready = true;
  if (target) {
    slot.endpoint = target->endpoint();
  } else {
    slot.error = target.error().message;
  }
  w.changed.notify_all();
  w.changed.wait(lock, [&] { return w.phase != Phase::starting; });
  if (w.phase == Phase::fuzzing && target) {
    CampaignOptions mine = o;
    mine.seed = o.seed + index;
    mine.worker = {&*w.shared, index};
    if (*coverage) mine.coverage = &**coverage;
    lock.unlock();
    CampaignResult result = run_campaign(*target, mine);
    target->stop();
    lock.lock();
    slot.result = std::move(result);
  }
  slot.done = true;
  w.changed.notify_all();
}

CampaignResult merged(const Workers& w) {
  CampaignResult total;
  total.workers = w.slots.size();
  total.seconds = w.shared->status().seconds;
  for (const Slot& s : w.slots) {
    const CampaignResult& r = s.result;
    total.execs += r.execs;
    total.restarts += r.restarts;
    total.corpus = std::max(total.corpus, r.corpus);
    total.imported += r.imported;
    total.probes += r.probes;
    total.edges = std::max(total.edges, r.edges);
    total.minimise_seconds += r.minimise_seconds / static_cast<double>(w.slots.size());
    total.findings.insert(total.findings.end(), r.findings.begin(), r.findings.end());
    total.interrupted = total.interrupted || r.interrupted;
    if (!total.error) total.error = r.error;
  }
  return total;
}

}  // namespace

net::Result<CampaignResult> run_workers(const LiveTargetSpec& spec, CampaignOptions options,
                                        std::size_t jobs, const WorkersStarted& started) {
  jobs = std::max<std::size_t>(jobs, 1);
  std::optional<target::PrivateDir> scratch;  // the folder N workers share without --corpus
  if (jobs > 1 && options.corpus_folder.dir.empty()) {
    net::Result<target::PrivateDir> made = target::PrivateDir::create();
    if (!made) return made.error();
    scratch.emplace(std::move(made).value());
    options.corpus_folder.dir = scratch->path();
  }
  Workers w;
  w.slots.resize(jobs);
  std::vector<std::jthread> threads;  // declared after `w`: joined before it goes
  for (std::size_t i = 0; i < jobs; ++i) {
    threads.emplace_back([&w, i, &spec, &options] { work(w, i, spec, options); });
  }

  std::unique_lock lock(w.mutex);
  w.changed.wait(lock, [&] { return w.all(&Slot::ready); });
  std::vector<net::Endpoint> endpoints;
  for (const Slot& s : w.slots) {
    if (s.error) {
      w.phase = Phase::aborted;
      w.changed.notify_all();
      return net::Error{*s.error};  // ~jthread joins: each stops its target
    }
    endpoints.push_back(*s.endpoint);
  }
  if (started) started(endpoints);
  const CampaignLimits limits{options.max_runs, options.max_findings, options.keep_going};
  w.shared.emplace(jobs, limits, Clock::now());
  w.phase = Phase::fuzzing;
  w.changed.notify_all();

  auto next_status = Clock::now() + options.progress_every;
  while (!w.changed.wait_until(lock, next_status, [&] { return w.all(&Slot::done); })) {
    print_status(options.log, "at", w.shared->status());
    next_status += options.progress_every;
  }
  print_status(options.log, "end", w.shared->status());
  return merged(w);
}

}  // namespace sockspec::blackbox
