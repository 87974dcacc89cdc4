// The clients' barrier: rounds, release by a failure, timeouts, and which failure a parallel
// block reports. No test depends on time: waits that must end are released by other clients,
// and the timed-out waits have no time at all.
#include "harness/engine/barrier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

namespace sockspec::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = ClientBarrier::Outcome::Kind;
using namespace std::chrono_literals;

constexpr std::chrono::microseconds kLong = 60s;  // never reached: every wait here is released

void nothing() {}

TEST(ClientBarrier, EveryClientPassesEachRoundOnceAllHaveArrived) {
  constexpr std::uint32_t kClients = 8;
  ClientBarrier barrier(kClients);
  std::atomic<int> passed{0};
  {
    std::vector<std::jthread> clients;
    for (std::uint32_t i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        for (int round = 0; round < 3; ++round) {  // a barrier inside repeat
          if (barrier.arrive_and_wait(i, kLong, nothing).kind == Kind::passed) ++passed;
        }
        barrier.leave(i, false);
      });
    }
  }
  EXPECT_EQ(passed.load(), 3 * static_cast<int>(kClients));
  EXPECT_EQ(barrier.broken_by(), "");
}

TEST(ClientBarrier, AClientThatFailsBeforeItReleasesTheOthersAndIsNamed) {
  ClientBarrier barrier(3);
  std::latch both_waiting(2);
  std::vector<ClientBarrier::Outcome> outcomes(2);
  {
    std::vector<std::jthread> waiters;
    for (std::uint32_t i = 0; i < 2; ++i) {
      waiters.emplace_back([&, i] {
        bool counted = false;
        outcomes[i] = barrier.arrive_and_wait(i, kLong, [&] {  // called while it waits
          if (!counted) both_waiting.count_down();
          counted = true;
        });
      });
    }
    both_waiting.wait();
    barrier.leave(2, true);  // client 2 failed before reaching it
  }
  for (const auto& o : outcomes) {
    EXPECT_EQ(o.kind, Kind::broken);
    EXPECT_EQ(o.why, "client 2 failed before reaching it (2 of 3 clients had)");
  }
  EXPECT_EQ(barrier.broken_by(), "2 of 3 clients had reached it when client 2 failed");
  // A later arrival is released at once too.
  EXPECT_EQ(barrier.arrive_and_wait(0, kLong, nothing).kind, Kind::broken);
}

TEST(ClientBarrier, AWaitOutOfTimeCountsWhoArrivedAndReleasesLaterArrivals) {
  ClientBarrier barrier(4);
  barrier.leave(3, false);  // ended its steps: no longer waited for
  const auto first = barrier.arrive_and_wait(0, 0s, nothing);
  EXPECT_EQ(first.kind, Kind::timed_out);
  EXPECT_EQ(first.arrived, 1U);
  EXPECT_EQ(first.clients, 4U);
  EXPECT_THAT(first.missing, ElementsAre(1U, 2U));
  const auto second = barrier.arrive_and_wait(1, kLong, nothing);
  EXPECT_EQ(second.kind, Kind::broken);
  EXPECT_THAT(second.why, HasSubstr("timed out (1 of 4 clients had arrived)"));
  EXPECT_EQ(barrier.broken_by(), "1 of 4 clients arrived at it in time");
}

TEST(ClientBarrier, ClientsThatEndedNormallyAreNotWaitedFor) {
  ClientBarrier barrier(3);
  barrier.leave(1, false);
  barrier.leave(2, false);
  EXPECT_EQ(barrier.arrive_and_wait(0, 0s, nothing).kind, Kind::passed);
  // A failure once nobody is at the barrier says nothing about it.
  barrier.leave(0, true);
  EXPECT_EQ(barrier.broken_by(), "");
}

TEST(ClientBarrier, AnInterruptWhileWaitingPropagates) {
  ClientBarrier barrier(2);
  EXPECT_THROW(barrier.arrive_and_wait(0, kLong, [] { throw Interrupted(); }), Interrupted);
}

Failure failure_at(std::string step, std::string observed) {
  return Failure{{}, std::move(step), "expected", std::move(observed), {}};
}

TEST(RethrowFirstFailure, TheFirstOwnFailureWinsWithTheBarrierInItsDetail) {
  ClientBarrier barrier(3);
  std::latch waiting(1);
  std::jthread waiter([&] {
    bool counted = false;
    (void)barrier.arrive_and_wait(0, kLong, [&] {
      if (!counted) waiting.count_down();
      counted = true;
    });
  });
  waiting.wait();
  barrier.leave(2, true);
  waiter.join();
  std::vector<std::exception_ptr> errors(3);
  errors[0] = std::make_exception_ptr(BarrierReleased(failure_at("barrier", "released")));
  errors[2] = std::make_exception_ptr(StepFailure(failure_at("expect", "only 0 of 5 bytes")));
  try {
    rethrow_first_failure(errors, barrier);
    ADD_FAILURE() << "nothing rethrown";
  } catch (const BarrierReleased&) {
    ADD_FAILURE() << "a release was reported, not the failure that caused it";
  } catch (const StepFailure& f) {
    EXPECT_EQ(f.failure().observed, "only 0 of 5 bytes");
    EXPECT_EQ(f.failure().detail, "barrier: 1 of 3 clients had reached it when client 2 failed");
  }
  errors[1] = std::make_exception_ptr(Interrupted());
  EXPECT_THROW(rethrow_first_failure(errors, barrier), Interrupted);
  EXPECT_NO_THROW(rethrow_first_failure(std::vector<std::exception_ptr>(3), barrier));
}

scenario::Step step_of(scenario::StepKind kind) {
  return scenario::Step{{}, std::move(kind)};
}

TEST(MeetsAtBarrier, InTheBlockOrARepeatButNotANestedParallel) {
  using namespace scenario::step;
  EXPECT_FALSE(meets_at_barrier({step_of(Connect{})}));
  EXPECT_TRUE(meets_at_barrier({step_of(Connect{}), step_of(Barrier{})}));
  EXPECT_TRUE(meets_at_barrier({step_of(Repeat{2, {step_of(Barrier{})}})}));
  EXPECT_FALSE(meets_at_barrier({step_of(Parallel{2, {step_of(Barrier{})}})}));
}

}  // namespace
}  // namespace sockspec::engine
