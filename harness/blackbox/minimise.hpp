// Minimisation of a fuzz finding: the smallest list of messages that still fails.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace sockspec::blackbox {

// The messages of a finding: what was sent on one connection (persistent mode), one per
// connection (per-connection mode) or one per datagram (UDP), in order.
using Messages = std::vector<std::string>;

// The bytes of all messages together.
[[nodiscard]] std::size_t total_bytes(const Messages& messages);

struct MinimiseBudget {
  std::size_t max_attempts = 200;                    // calls of still_fails
  std::chrono::steady_clock::time_point deadline{};  // default: no deadline
};

struct Minimised {
  Messages messages;
  std::size_t attempts = 0;  // calls of still_fails made
  bool reduced = false;      // smaller than the input
};

// Shrinks `failing` while `still_fails(candidate)` holds, within the budget: first drops whole
// messages (delta debugging, halves then singles), then shrinks each message's bytes (drops
// chunks, halving their size down to 1 byte), then simplifies bytes to 'A' where that still
// fails (readable reproducers). `still_fails` is never called with `failing` itself; it may
// return false for a flaky candidate (that candidate is just not taken). Deterministic for a
// deterministic predicate.
[[nodiscard]] Minimised minimise(Messages failing,
                                 const std::function<bool(const Messages&)>& still_fails,
                                 const MinimiseBudget& budget);

}  // namespace sockspec::blackbox
