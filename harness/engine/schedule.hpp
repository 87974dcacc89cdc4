// What a case costs and when it starts: most of the pack's time is deliberate waiting (silence
// windows, offers, delays), which needs no CPU, so the runner lets cases that mostly wait run
// beside the -j cases that work, and starts the longest first.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "harness/engine/plan.hpp"
#include "harness/engine/timings.hpp"

namespace sockspec::engine {

// What a scenario does, as its steps say (repeats multiply; parallel clients multiply what they
// move, not how long they wait, as they wait together).
struct CaseCost {
  std::chrono::milliseconds wait{0};  // waiting on purpose: silences, offers, gaps, delays
  std::uint64_t bytes = 0;            // bytes sent at full speed (not paced by gaps, not offers)
  std::uint64_t connections = 0;      // TCP connections it opens
  std::uint64_t messages = 0;         // datagrams and exchange requests it sends
};
[[nodiscard]] CaseCost estimate_cost(const scenario::Scenario& s);

// Where a case runs:
// - heavy: 1 MiB or more sent at full speed, 32 connections or more (a burst of clients, each
//   with its own deadline), or 1000 messages or more. They work the CPU: at most -j at once.
// - idle: a light case that sleeps nearly all its time in its own waits (2 s or more of
//   silence windows and delays, 90% of its expected time or more). It costs nothing while it
//   sleeps: up to idle_slots(-j) at once.
// - wait: another light case that takes 150 ms or more (its own waits, or the target's timers as
//   measured in an earlier run): up to wait_slots(-j) at once.
// - brief: the rest, at most -j at once.
enum class Slot { heavy, brief, wait, idle };
inline constexpr std::size_t kSlotKinds = 4;
[[nodiscard]] Slot slot_of(const CaseCost& cost, std::chrono::milliseconds expected);

// Slots per -j beside the heavy and brief ones: at -j2, 16 waiting and 32 idle cases (a case
// starved by them runs again alone: runner.hpp). -j1 runs one case at a time, whatever its kind.
inline constexpr unsigned kWaitSlotsPerJob = 8;
inline constexpr unsigned kIdleSlotsPerJob = 16;
[[nodiscard]] inline unsigned wait_slots(unsigned jobs) {
  return jobs <= 1 ? 0 : jobs * kWaitSlotsPerJob;
}
[[nodiscard]] inline unsigned idle_slots(unsigned jobs) {
  return jobs <= 1 ? 0 : jobs * kIdleSlotsPerJob;
}

struct ScheduledCase {
  std::size_t index = 0;  // into the planned cases
  Slot slot = Slot::brief;
  std::chrono::milliseconds expected{0};  // measured in an earlier run, else the waits
};

// The start order: cases expected to take 150 ms or more first, longest first; the rest after
// them in plan order.
[[nodiscard]] std::vector<ScheduledCase> schedule(const std::vector<PlannedCase>& cases,
                                                  const Timings& timings);

}  // namespace sockspec::engine
