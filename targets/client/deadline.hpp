// The one clock of a client run: every wait is bounded by a deadline fixed at start.
#pragma once

#include <algorithm>
#include <chrono>

namespace sockspec::client {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, rounded up (a wait never ends just before it), never
// negative: 0 means "poll once, do not wait".
[[nodiscard]] inline std::chrono::milliseconds time_left(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

}  // namespace sockspec::client
