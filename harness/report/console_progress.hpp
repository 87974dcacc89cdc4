// The console's view of a run in progress: which cases run now, how many are done, and when the
// run should end (from the cases' expected durations); as a live line and a heartbeat line.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/result.hpp"

namespace sockspec::report {

// A case's name, short, for lists of running cases: its id (the middle cut to at most
// kShortIdMax characters, marked "~"), then "[v6]" for ipv6, or "[target]" / "[target,v6]" when
// the run has several targets: "str/echo[v6]", "str/echo[broken-close]".
inline constexpr std::size_t kShortIdMax = 32;
[[nodiscard]] std::string short_case_name(const engine::CaseResult& c, bool several_targets);

// "45s", "1m20s", "2h05m".
[[nodiscard]] std::string format_eta(std::chrono::milliseconds d);

// Not thread-safe: its owner serialises the calls. Times are passed in.
class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  // A run of `info.runs` case runs (or `info.cases` outside stability mode) expected to take
  // `info.expected` one after another, starting at `start`.
  Progress(const engine::RunInfo& info, Clock::time_point start);

  void started(const engine::CaseResult& planned, Clock::time_point now);
  // The case run is over: done (ended) or to be told later (deferred: it runs again alone).
  void ended(const engine::CaseResult& result);
  void deferred(const engine::CaseResult& first_run);

  [[nodiscard]] std::size_t done() const { return done_; }
  [[nodiscard]] std::size_t running() const { return running_.size(); }

  // The time left: the expected work not yet done, at the pace seen so far (the expected work
  // done, counting each running case's time up to its expected duration, per second of the
  // run), and at least the time the running case furthest from its expected end still needs;
  // plus, as they run again alone one at a time, the deferred cases' expected durations.
  // nullopt until some expected work is done, or when nothing has an expected duration.
  [[nodiscard]] std::optional<std::chrono::milliseconds> eta(Clock::time_point now) const;

  // "[ 120/1329] ETA 1m20s | 2 failing | 3 running: str/echo, tcp/x[v6] +1 more", at most
  // `width` - 1 characters (the last column is left free: a terminal wraps there). Running cases
  // longest-running first; names that do not fit are counted in "+N more"; "N to run again
  // alone" when deferred cases wait for their rerun and nothing else runs; "ETA unknown" without
  // an ETA.
  [[nodiscard]] std::string live_line(Clock::time_point now, std::size_t width) const;

  // "... 120/1329 done, 2 running: str/echo, tcp/x[v6], ETA 1m20s": at most kHeartbeatNames
  // names, then "+N more"; ", N to run again alone" before the ETA when cases wait for their
  // rerun; "ETA unknown" without an ETA.
  [[nodiscard]] std::string heartbeat_line(Clock::time_point now) const;
  static constexpr std::size_t kHeartbeatNames = 3;

 private:
  struct Running {
    std::string name;  // short_case_name
    Clock::time_point since;
    std::chrono::milliseconds expected{0};
  };
  [[nodiscard]] static std::string key(const engine::CaseResult& c);
  void finish(const engine::CaseResult& c);
  [[nodiscard]] std::string eta_text(Clock::time_point now) const;
  // Running cases' names, longest-running first.
  [[nodiscard]] std::vector<std::string> running_names() const;

  std::size_t planned_ = 0;
  std::chrono::milliseconds total_{0};
  bool several_targets_ = false;
  Clock::time_point start_;
  std::size_t done_ = 0;
  std::size_t failing_ = 0;  // fail, xpass, error and flaky results so far
  // Deferred and not yet ended: their expected durations (by key), one after another.
  std::map<std::string, std::chrono::milliseconds> deferred_;
  std::chrono::milliseconds work_done_{0};
  std::map<std::string, Running> running_;
};

}  // namespace sockspec::report
