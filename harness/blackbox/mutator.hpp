// Mutation of byte strings for black-box fuzzing (`sockspec fuzz`): libFuzzer's kinds of
// mutation, stacked, without coverage feedback, plus dictionaries in libFuzzer/AFL format.
//
// Deterministic: the same seed and the same calls give the same mutants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// Tokens to insert or overwrite with: protocol words, separators, magic lengths.
struct Dictionary {
  std::vector<std::string> entries;
};

// libFuzzer/AFL dictionary text: one `name="value"` or `"value"` per line; `#` comments and
// blank lines ignored; escapes \\ \" \xHH in the value. Errors: "name:line: message".
[[nodiscard]] net::Result<Dictionary> parse_dictionary(std::string_view text,
                                                       const std::string& name);
[[nodiscard]] net::Result<Dictionary> load_dictionary(const std::string& path);

class Mutator {
 public:
  // Mutants are never longer than `max_size` bytes (at least 1).
  Mutator(std::uint64_t seed, std::size_t max_size, Dictionary dictionary = {});

  // A mutant of `input`: one to a few stacked mutations, each one of: erase bytes, insert a
  // byte, insert a repeated byte run (up to max_size: long inputs find length bugs), shuffle,
  // flip a bit, change a byte, change an ASCII number, copy part of the input over or into
  // itself, insert or overwrite with a dictionary entry, cross over with `other` (when not
  // empty). Never returns `input` unchanged unless max_size forbids any change.
  [[nodiscard]] std::string mutate(std::string_view input, std::string_view other = {});

  // A random segmentation of `total` bytes: sizes >= 1 summing to `total` (one segment for 0
  // or 1 byte). Half the time a single segment, 3/8 one cut point, 1/8 2..16 cut points.
  // Why: each segment costs a send(), and a server reading while we send sees most of a burst
  // of segments coalesced. Against the reference server one cut gives a read ending inside the
  // input about 85% of the time; every further cut adds only about 0.15-0.3 such reads. Whole
  // inputs still meet a read boundary at their start (persistent mode: after the last reply).
  [[nodiscard]] std::vector<std::size_t> segments(std::size_t total);

  [[nodiscard]] std::size_t max_size() const { return max_size_; }
  // For callers that need more randomness from the same seed (choosing a corpus entry).
  [[nodiscard]] std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  std::size_t max_size_;
  Dictionary dictionary_;
};

}  // namespace sockspec::blackbox
