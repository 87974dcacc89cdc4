// Delta debugging of a failing list of messages: drop messages, then bytes, then simplify bytes.
#include "harness/blackbox/minimise.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace sockspec::blackbox {
namespace {

class Shrinker {
 public:
  Shrinker(Messages failing, const std::function<bool(const Messages&)>& still_fails,
           const MinimiseBudget& budget)
      : current_(std::move(failing)), still_fails_(still_fails), budget_(budget) {}

  // Halves, then quarters, ... then single messages; at least one message stays.
  void drop_messages() {
    for (std::size_t chunk = current_.size() / 2; chunk >= 1 && !exhausted(); chunk /= 2) {
      for (std::size_t i = 0; i < current_.size() && current_.size() > 1 && !exhausted();) {
        const std::size_t n = std::min(chunk, current_.size() - i);
        if (n == current_.size()) break;
        Messages candidate = current_;
        candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(i),
                        candidate.begin() + static_cast<std::ptrdiff_t>(i + n));
        if (!take(std::move(candidate))) i += n;  // else the next chunk moved to i
      }
    }
  }

  // The same on each message's bytes; a message keeps at least one byte (an empty one is
  // kept as it is: a 0-byte datagram is a message of its own).
  void drop_bytes() {
    for (std::size_t m = 0; m < current_.size() && !exhausted(); ++m) {
      for (std::size_t chunk = current_[m].size() / 2; chunk >= 1 && !exhausted(); chunk /= 2) {
        for (std::size_t i = 0; i < current_[m].size() && !exhausted();) {
          const std::size_t n = std::min(chunk, current_[m].size() - i);
          if (n == current_[m].size()) break;
          Messages candidate = current_;
          candidate[m].erase(i, n);
          if (!take(std::move(candidate))) i += n;
        }
      }
    }
  }

  // Bytes become 'A' where that still fails, a whole range at a time, halving ranges down to
  // single bytes; ranges already all 'A' cost no attempt.
  void simplify_bytes() {
    for (std::size_t m = 0; m < current_.size() && !exhausted(); ++m) {
      for (std::size_t chunk = current_[m].size(); chunk >= 1 && !exhausted(); chunk /= 2) {
        for (std::size_t i = 0; i < current_[m].size() && !exhausted(); i += chunk) {
          const std::size_t n = std::min(chunk, current_[m].size() - i);
          const std::string_view range = std::string_view(current_[m]).substr(i, n);
          if (std::all_of(range.begin(), range.end(), [](char c) { return c == 'A'; })) continue;
          Messages candidate = current_;
          std::fill_n(candidate[m].begin() + static_cast<std::ptrdiff_t>(i), n, 'A');
          (void)take(std::move(candidate));
        }
      }
    }
  }

  [[nodiscard]] Messages& current() { return current_; }
  [[nodiscard]] std::size_t attempts() const { return attempts_; }

 private:
  [[nodiscard]] bool exhausted() const {
    if (attempts_ >= budget_.max_attempts) return true;
    return budget_.deadline != std::chrono::steady_clock::time_point{} &&
           std::chrono::steady_clock::now() >= budget_.deadline;
  }
  // Tries `candidate` (always different from current_); keeps it if it still fails.
  bool take(Messages candidate) {
    ++attempts_;
    if (!still_fails_(candidate)) return false;
    current_ = std::move(candidate);
    return true;
  }

  Messages current_;
  const std::function<bool(const Messages&)>& still_fails_;
  const MinimiseBudget& budget_;
  std::size_t attempts_ = 0;
};

}  // namespace

std::size_t total_bytes(const Messages& m) {
  return std::accumulate(m.begin(), m.end(), std::size_t{0},
                         [](std::size_t n, const std::string& s) { return n + s.size(); });
}

Minimised minimise(Messages failing, const std::function<bool(const Messages&)>& still_fails,
                   const MinimiseBudget& budget) {
  const std::size_t count = failing.size();
  const std::size_t bytes = total_bytes(failing);
  Shrinker s(std::move(failing), still_fails, budget);
  s.drop_messages();
  s.drop_bytes();
  s.simplify_bytes();
  Minimised result;
  result.attempts = s.attempts();
  result.messages = std::move(s.current());
  result.reduced = result.messages.size() < count || total_bytes(result.messages) < bytes;
  return result;
}

}  // namespace sockspec::blackbox
