// What the workers of one campaign (`sockspec fuzz --jobs N`) share: the limits that apply to the
// whole campaign (--runs, --max-findings, the first finding without --keep-going), the distinct
// finding ids, and each worker's numbers for the one status line. A campaign of one worker uses
// it the same way. Thread-safe: one mutex guards everything but the run counter (an atomic).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace sockspec::blackbox {

// execs / fuzz_seconds (at least a millisecond: a run too short to measure still ran its inputs);
// 0 only when nothing ran.
[[nodiscard]] double execs_per_second(std::uint64_t execs, double fuzz_seconds);

// The numbers of a status line (and of the end's summary).
struct CampaignStatus {
  double seconds = 0;        // since the campaign started
  double fuzz_seconds = 0;   // of fuzzing alone: minimising excluded (the workers' mean)
  std::uint64_t execs = 0;   // inputs run, all workers together
  std::size_t corpus = 0;    // the largest corpus a worker holds
  std::size_t findings = 0;  // distinct
  std::size_t restarts = 0;  // all workers together
  std::size_t edges = 0;     // coverage-guided: the most edges a worker's target reached
  std::size_t workers = 1;
  [[nodiscard]] double execs_per_second() const {
    return blackbox::execs_per_second(execs, fuzz_seconds);
  }
};

struct CampaignLimits {
  std::uint64_t max_runs = 0;    // inputs, all workers together; 0: no limit
  std::size_t max_findings = 0;  // distinct findings; 0: no limit
  bool keep_going = false;       // else the first finding ends the campaign
};

class SharedCampaign {
 public:
  using Clock = std::chrono::steady_clock;
  SharedCampaign(std::size_t workers, CampaignLimits limits, Clock::time_point start);
  SharedCampaign(const SharedCampaign&) = delete;
  SharedCampaign& operator=(const SharedCampaign&) = delete;

  // Claims one input to run: false once max_runs were claimed or stop() was called.
  [[nodiscard]] bool claim_run();
  // Ends the campaign: every worker stops at its next input. A worker calls it when it ends for
  // any reason (its time, an error, an interrupt, a dead adopted server).
  void stop();
  [[nodiscard]] bool stopping() const;
  // A worker saw a finding, before settling it: with keep_going, true unless stopping; without,
  // true for the first caller only, which also stops the others.
  [[nodiscard]] bool may_settle();
  // A settled finding's id: true the first time any worker reports it; at max_findings distinct
  // ones the campaign stops.
  [[nodiscard]] bool first_finding(const std::string& id);

  // Worker `index`'s numbers, reported from its loop.
  void report(std::size_t index, std::uint64_t execs, std::size_t corpus, std::size_t restarts,
              std::size_t edges = 0);
  // Worker `index` starts or ends minimising a finding (its time is not fuzzing time).
  void minimising(std::size_t index, bool on);
  // Worker `index`'s time spent minimising so far, in seconds.
  [[nodiscard]] double minimise_seconds(std::size_t index) const;

  [[nodiscard]] CampaignStatus status() const;

 private:
  struct Worker {
    std::uint64_t execs = 0;
    std::size_t corpus = 0;
    std::size_t restarts = 0;
    std::size_t edges = 0;
    Clock::duration minimised{};               // finished minimisations
    std::optional<Clock::time_point> since{};  // the one in progress
  };
  [[nodiscard]] Clock::duration minimised_locked(const Worker& w, Clock::time_point now) const;

  const CampaignLimits limits_;
  const Clock::time_point start_;
  std::atomic<std::uint64_t> claimed_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  bool settling_ = false;  // without keep_going: a finding was claimed
  std::unordered_set<std::string> ids_;
  std::vector<Worker> workers_;
};

// Worker `index` of `shared`, as the loop sees it (CampaignOptions::worker); shared null: the
// loop makes a campaign of its own from its options.
struct WorkerLink {
  SharedCampaign* shared = nullptr;
  std::size_t index = 0;
};

// A loop's place in its campaign (`link`): worker `index` of the workers' shared campaign, or
// the only worker of one of its own, made from `limits`.
class CampaignSeat {
 public:
  CampaignSeat(WorkerLink link, CampaignLimits limits, SharedCampaign::Clock::time_point start)
      : own_(1, limits, start),
        shared_(link.shared != nullptr ? *link.shared : own_),
        index_(link.shared != nullptr ? link.index : 0) {}
  CampaignSeat(const CampaignSeat&) = delete;
  CampaignSeat& operator=(const CampaignSeat&) = delete;
  [[nodiscard]] SharedCampaign& shared() { return shared_; }
  [[nodiscard]] std::size_t index() const { return index_; }

 private:
  SharedCampaign own_;
  SharedCampaign& shared_;
  std::size_t index_;
};

// Marks `index` of `shared` minimising for its lifetime.
class MinimiseTimer {
 public:
  MinimiseTimer(SharedCampaign& shared, std::size_t index) : shared_(shared), index_(index) {
    shared_.minimising(index_, true);
  }
  ~MinimiseTimer() { shared_.minimising(index_, false); }
  MinimiseTimer(const MinimiseTimer&) = delete;
  MinimiseTimer& operator=(const MinimiseTimer&) = delete;

 private:
  SharedCampaign& shared_;
  std::size_t index_;
};

}  // namespace sockspec::blackbox
