// The corpus of a coverage-guided campaign: message sequences sent on one connection (seeds,
// plus every sequence whose last message reached new edges or a new state), capped in size.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "harness/blackbox/minimise.hpp"

namespace sockspec::blackbox {

// Seeds are never evicted; once `capacity` entries are held, a new sequence replaces a random
// non-seed entry. Never empty once a seed was added. Not thread-safe.
class SequenceCorpus {
 public:
  explicit SequenceCorpus(std::size_t capacity) : capacity_(capacity) {}

  // Adds a seed; an empty sequence, one with an empty message, and a duplicate are ignored.
  void add_seed(Messages messages);
  // Adds a sequence found interesting; returns false for an empty or known one.
  bool add(Messages messages, std::mt19937_64& rng);
  // An entry to build on: half the time one of the last kRecent entries added (the frontier:
  // what just reached something new), else any, uniformly. Requires !empty().
  [[nodiscard]] const Messages& pick(std::mt19937_64& rng) const;
  // A message of any entry, uniformly chosen among entries then messages (for splicing).
  // Requires !empty().
  [[nodiscard]] const std::string& any_message(std::mt19937_64& rng) const;

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  // Messages joined with their lengths: one string per distinct sequence.
  [[nodiscard]] static std::string key(const Messages& messages);
  [[nodiscard]] bool usable(const Messages& messages) const;
  void note_recent(std::size_t index);

  static constexpr std::size_t kRecent = 16;

  std::size_t capacity_;
  std::size_t seeds_ = 0;  // entries_[0, seeds_) are seeds
  std::vector<Messages> entries_;
  std::unordered_set<std::string> known_;
  std::vector<std::size_t> recent_;  // indexes of the entries added last (a ring)
  std::size_t next_recent_ = 0;
};

}  // namespace sockspec::blackbox
