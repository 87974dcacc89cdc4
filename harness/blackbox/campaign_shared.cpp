// SharedCampaign: the campaign's limits, distinct findings and numbers, shared by its workers.
#include "harness/blackbox/campaign_shared.hpp"

#include <algorithm>

namespace sockspec::blackbox {

double execs_per_second(std::uint64_t execs, double fuzz_seconds) {
  if (execs == 0) return 0;
  return static_cast<double>(execs) / std::max(fuzz_seconds, 1e-3);
}

SharedCampaign::SharedCampaign(std::size_t workers, CampaignLimits limits, Clock::time_point start)
    : limits_(limits), start_(start), workers_(std::max<std::size_t>(workers, 1)) {}

bool SharedCampaign::claim_run() {
  if (stopping_.load()) return false;
  if (limits_.max_runs == 0) return true;
  return claimed_.fetch_add(1) < limits_.max_runs;
}

void SharedCampaign::stop() {
  stopping_.store(true);
}

bool SharedCampaign::stopping() const {
  return stopping_.load();
}

bool SharedCampaign::may_settle() {
  if (stopping()) return false;
  if (limits_.keep_going) return true;
  std::lock_guard lock(mutex_);
  if (settling_) return false;
  settling_ = true;
  stop();
  return true;
}

bool SharedCampaign::first_finding(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (!ids_.insert(id).second) return false;
  if (limits_.max_findings != 0 && ids_.size() >= limits_.max_findings) stop();
  return true;
}

void SharedCampaign::report(std::size_t index, std::uint64_t execs, std::size_t corpus,
                            std::size_t restarts, std::size_t edges) {
  std::lock_guard lock(mutex_);
  Worker& w = workers_.at(index);
  w.execs = execs;
  w.corpus = corpus;
  w.restarts = restarts;
  w.edges = edges;
}

void SharedCampaign::minimising(std::size_t index, bool on) {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  Worker& w = workers_.at(index);
  if (on && !w.since) {
    w.since = now;
  } else if (!on && w.since) {
    w.minimised += now - *w.since;
    w.since.reset();
  }
}

SharedCampaign::Clock::duration SharedCampaign::minimised_locked(const Worker& w,
                                                                 Clock::time_point now) const {
  return w.minimised + (w.since ? now - *w.since : Clock::duration{});
}

double SharedCampaign::minimise_seconds(std::size_t index) const {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  return std::chrono::duration<double>(minimised_locked(workers_.at(index), now)).count();
}

CampaignStatus SharedCampaign::status() const {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  CampaignStatus s;
  s.seconds = std::chrono::duration<double>(now - start_).count();
  s.workers = workers_.size();
  s.findings = ids_.size();
  Clock::duration minimised{};
  for (const Worker& w : workers_) {
    s.execs += w.execs;
    s.restarts += w.restarts;
    s.corpus = std::max(s.corpus, w.corpus);
    s.edges = std::max(s.edges, w.edges);
    minimised += minimised_locked(w, now);
  }
  const double mean_minimised =
      std::chrono::duration<double>(minimised).count() / static_cast<double>(workers_.size());
  s.fuzz_seconds = std::max(0.0, s.seconds - mean_minimised);
  return s;
}

}  // namespace sockspec::blackbox
