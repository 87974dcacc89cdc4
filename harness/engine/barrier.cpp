// The clients' barrier of a parallel block (see barrier.hpp).
#include "harness/engine/barrier.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sockspec::engine {
namespace {

// How often a waiting client looks at the run's interrupt.
constexpr std::chrono::milliseconds kPollEvery{20};

}  // namespace

ClientBarrier::ClientBarrier(std::uint32_t clients)
    : clients_(clients), arrived_(clients, false), left_(clients, false) {}

bool ClientBarrier::complete() const {
  for (std::uint32_t i = 0; i < clients_; ++i) {
    if (!arrived_[i] && !left_[i]) return false;
  }
  return true;
}

void ClientBarrier::pass() {
  ++round_;
  std::fill(arrived_.begin(), arrived_.end(), false);
  changed_.notify_all();
}

ClientBarrier::Outcome ClientBarrier::arrive_and_wait(std::uint32_t client,
                                                      std::chrono::microseconds within,
                                                      const std::function<void()>& poll) {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mutex_);
  Outcome out;
  out.clients = clients_;
  if (!broken_) {
    arrived_.at(client) = true;
    if (complete()) {
      pass();
      return out;
    }
    const std::uint32_t round = round_;
    const Clock::time_point deadline = Clock::now() + within;
    // Bounded by the deadline: each turn waits at most kPollEvery.
    while (!broken_ && round_ == round && Clock::now() < deadline) {
      changed_.wait_until(lock, std::min(deadline, Clock::now() + kPollEvery),
                          [&] { return broken_ || round_ != round; });
      if (broken_ || round_ != round) break;
      lock.unlock();
      poll();  // may throw (interrupted): this client then leaves, failed
      lock.lock();
    }
    if (round_ != round) return out;
    if (!broken_) {  // the time is up
      broken_ = true;
      timed_out_ = true;
      out.kind = Outcome::Kind::timed_out;
      for (std::uint32_t i = 0; i < clients_; ++i) {
        if (arrived_[i]) {
          ++out.arrived;
        } else if (!left_[i]) {
          out.missing.push_back(i);
        }
      }
      arrived_when_broken_ = out.arrived;
      changed_.notify_all();
      return out;
    }
  }
  out.kind = Outcome::Kind::broken;
  out.why = failed_client_
                ? fmt::format("client {} failed before reaching it ({} of {} clients had)",
                              *failed_client_, arrived_when_broken_, clients_)
                : fmt::format(
                      "another client's wait at it timed out ({} of {} clients had "
                      "arrived)",
                      arrived_when_broken_, clients_);
  return out;
}

void ClientBarrier::leave(std::uint32_t client, bool failed) {
  const std::lock_guard lock(mutex_);
  if (failed) {
    if (broken_) return;
    broken_ = true;
    failed_client_ = client;
    arrived_when_broken_ =
        static_cast<std::uint32_t>(std::count(arrived_.begin(), arrived_.end(), true));
    changed_.notify_all();
    return;
  }
  left_.at(client) = true;
  const bool waiting = std::find(arrived_.begin(), arrived_.end(), true) != arrived_.end();
  if (!broken_ && waiting && complete()) pass();
}

std::string ClientBarrier::broken_by() const {
  const std::lock_guard lock(mutex_);
  // A failure after every round was met (nobody at the barrier) says nothing about it.
  if (!broken_ || arrived_when_broken_ == 0) return {};
  if (timed_out_) {
    return fmt::format("{} of {} clients arrived at it in time", arrived_when_broken_, clients_);
  }
  return fmt::format("{} of {} clients had reached it when client {} failed", arrived_when_broken_,
                     clients_, failed_client_.value_or(0));
}

bool meets_at_barrier(const std::vector<scenario::Step>& steps) {
  return std::any_of(steps.begin(), steps.end(), [](const scenario::Step& st) {
    if (const auto* r = std::get_if<scenario::step::Repeat>(&st.kind)) {
      return meets_at_barrier(r->steps);
    }
    return std::holds_alternative<scenario::step::Barrier>(st.kind);
  });
}

void rethrow_first_failure(const std::vector<std::exception_ptr>& errors,
                           const ClientBarrier& barrier) {
  for (const std::exception_ptr& e : errors) {
    try {
      if (e) std::rethrow_exception(e);
    } catch (const Interrupted&) {
      throw;
    } catch (...) {
    }
  }
  for (const std::exception_ptr& e : errors) {
    if (!e) continue;
    try {
      std::rethrow_exception(e);
    } catch (const BarrierReleased&) {
      continue;
    } catch (const StepFailure& f) {
      const std::string how = barrier.broken_by();
      if (how.empty() || f.failure().step == "barrier") throw;
      Failure failure = f.failure();
      if (!failure.detail.empty()) failure.detail += '\n';
      failure.detail += "barrier: " + how;
      throw StepFailure(std::move(failure));
    }
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace sockspec::engine
