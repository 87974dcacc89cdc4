// The fuzz corpus without coverage feedback: seeds, plus inputs that showed a behaviour not seen
// before (a new reply length class, first reply byte, or input length class), capped in size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "harness/blackbox/exchange.hpp"

namespace sockspec::blackbox {

// A small key for what an input made the server do (see corpus.cpp for what it holds).
[[nodiscard]] std::uint64_t behaviour_key(const Exchanged& e, std::size_t input_size);

// Seeds are never evicted; once `capacity` entries are held, a new input replaces a random
// non-seed entry. Never empty once a seed was added. Not thread-safe.
class Corpus {
 public:
  explicit Corpus(std::size_t capacity) : capacity_(capacity) {}

  // Adds a seed cut to `max_len` bytes; empty and duplicate inputs are ignored.
  void add_seed(std::string_view input, std::size_t max_len);
  // Adds `input` if `behaviour` is new; returns whether it was added.
  bool consider(std::string_view input, std::uint64_t behaviour, std::mt19937_64& rng);
  // An entry to mutate: uniformly chosen, but one time in eight the longest held, so that
  // inputs keep growing towards max_len (where length bugs are). Requires !empty().
  [[nodiscard]] const std::string& pick(std::mt19937_64& rng) const;

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }

 private:
  void note_length(std::size_t index);

  std::size_t capacity_;
  std::size_t seeds_ = 0;  // entries_[0, seeds_) are seeds
  std::vector<std::string> entries_;
  std::unordered_set<std::string> known_;
  std::unordered_set<std::uint64_t> behaviours_;
  std::size_t longest_ = 0;
};

}  // namespace sockspec::blackbox
