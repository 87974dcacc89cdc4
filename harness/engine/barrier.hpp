// ClientBarrier: where the clients of one `parallel` block meet (the `barrier` step). Each client
// arrives and waits until every client still taking part has arrived, so that all of them are at
// that point at once (CON-2: all connected, each served so far, none gone). It is reusable: a
// barrier inside `repeat` meets once per round.
//
// Nothing hangs on it: a client that ends with a failure breaks it, which releases whoever waits
// and every later arrival; a wait longer than its time breaks it too; `poll` (the run's interrupt
// check) is called every few milliseconds while waiting and may throw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/step_failure.hpp"
#include "harness/scenario/model.hpp"

namespace sockspec::engine {

// How a client waiting at a broken barrier ends: a failure, but the consequence of another
// client's, so the block reports that one (rethrow_first_failure).
class BarrierReleased : public StepFailure {
 public:
  using StepFailure::StepFailure;
};

class ClientBarrier {
 public:
  explicit ClientBarrier(std::uint32_t clients);

  struct Outcome {
    enum class Kind { passed, timed_out, broken };
    Kind kind = Kind::passed;
    std::uint32_t arrived = 0;  // timed_out: how many clients had arrived when the time was up
    std::uint32_t clients = 0;  // how many the block has
    std::vector<std::uint32_t> missing;  // timed_out: the clients that had not arrived
    std::string why;                     // broken: "client 40 failed before reaching it (...)"
  };

  // `client` (0-based) arrives and waits, at most `within`.
  Outcome arrive_and_wait(std::uint32_t client, std::chrono::microseconds within,
                          const std::function<void()>& poll);
  // `client`'s steps ended. With `failed`, the barrier breaks (unless it has nobody left to
  // wait for); otherwise the client no longer counts as one to wait for.
  void leave(std::uint32_t client, bool failed);
  // How it broke ("38 of 50 clients had reached it when client 40 failed"), or empty.
  [[nodiscard]] std::string broken_by() const;

 private:
  [[nodiscard]] bool complete() const;  // every client still taking part has arrived
  void pass();                          // the round is over: release the waiters

  const std::uint32_t clients_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<bool> arrived_;  // in this round
  std::vector<bool> left_;     // steps ended without failing
  std::uint32_t round_ = 0;
  // Set once it broke: by a client's failure (its number) or by a wait that timed out.
  std::optional<std::uint32_t> failed_client_{};
  bool timed_out_ = false;
  std::uint32_t arrived_when_broken_ = 0;
  bool broken_ = false;
};

// True when `steps` (or a `repeat` among them, not a nested `parallel`) hold a barrier: the
// block's clients are then all connected at once.
[[nodiscard]] bool meets_at_barrier(const std::vector<scenario::Step>& steps);

// After a parallel block: rethrows what decides its verdict. The run's interruption first; then
// the lowest-numbered client's own failure (not a release by the barrier), with how the barrier
// broke added to its detail; then a release.
void rethrow_first_failure(const std::vector<std::exception_ptr>& errors,
                           const ClientBarrier& barrier);

}  // namespace sockspec::engine
