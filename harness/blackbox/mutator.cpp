// Stacked libFuzzer-style mutations of byte strings, and random segmentations of a send.
#include "harness/blackbox/mutator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <utility>

namespace sockspec::blackbox {
namespace {

constexpr int kMaxStacked = 5;
constexpr std::size_t kMaxCuts = 16;  // of a segmentation
// Bytes that often mean something to a parser: NUL, line ends, space, sign bits, all ones.
constexpr std::array<char, 10> kInterestingBytes = {'\0',   '\n',   '\r',   ' ', '\t',
                                                    '\x7f', '\x80', '\xff', '0', 'A'};

// The mutations, each on a working copy of at most max bytes. Each returns whether it changed
// anything (it may leave `d` as it was when the input does not suit it).
class Kinds {
 public:
  Kinds(std::mt19937_64& rng, std::size_t max, const Dictionary& dict, std::string_view other)
      : rng_(rng), max_(max), dict_(dict), other_(other) {}

  bool apply(std::string& d) {
    switch (below(12)) {
      case 0:
        return erase_bytes(d);
      case 1:
        return insert_byte(d);
      case 2:
        return insert_run(d);
      case 3:
        return shuffle(d);
      case 4:
        return flip_bit(d);
      case 5:
        return change_byte(d);
      case 6:
        return change_number(d);
      case 7:
        return copy_over(d);
      case 8:
        return copy_into(d);
      case 9:
        return dict_insert(d);
      case 10:
        return dict_overwrite(d);
      default:
        return cross_over(d);
    }
  }

  // Forces a change when the stacked mutations happened to leave the bytes as they were.
  void force_change(std::string& d) {
    if (d.empty()) {
      d.push_back(random_byte());
      return;
    }
    const std::size_t at = below(d.size());
    d[at] = static_cast<char>(d[at] ^ static_cast<char>(1 + below(255)));
  }

 private:
  // Uniform in [0, n); n > 0.
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  // Uniform in [lo, hi].
  std::size_t between(std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng_);
  }
  char random_byte() {
    if (below(4) == 0) return kInterestingBytes[below(kInterestingBytes.size())];
    return static_cast<char>(below(256));
  }
  std::size_t room(const std::string& d) const { return max_ - std::min(max_, d.size()); }
  // A length in [1, limit]: mostly short (like libFuzzer's), but half the time any length up to
  // the limit, so inputs grow to max_size in a few steps and length bugs show up early.
  std::size_t length_up_to(std::size_t limit) {
    if (limit <= 1) return limit;
    if (below(2) == 0) return between(1, std::min<std::size_t>(limit, 16));
    return between(1, limit);
  }

  bool erase_bytes(std::string& d) {
    if (d.empty()) return false;
    const std::size_t n = length_up_to(std::max<std::size_t>(1, d.size() / 2));
    d.erase(below(d.size() - n + 1), n);
    return true;
  }
  bool insert_byte(std::string& d) {
    if (room(d) == 0) return false;
    d.insert(d.begin() + static_cast<std::ptrdiff_t>(below(d.size() + 1)), random_byte());
    return true;
  }
  bool insert_run(std::string& d) {
    if (room(d) == 0) return false;
    const std::size_t n = length_up_to(room(d));
    const char c = (!d.empty() && below(2) == 0) ? d[below(d.size())] : random_byte();
    d.insert(below(d.size() + 1), n, c);
    return true;
  }
  bool shuffle(std::string& d) {
    if (d.size() < 2) return false;
    const std::size_t n = between(2, std::min<std::size_t>(d.size(), 8));
    const auto first = d.begin() + static_cast<std::ptrdiff_t>(below(d.size() - n + 1));
    const std::string before(first, first + static_cast<std::ptrdiff_t>(n));
    std::shuffle(first, first + static_cast<std::ptrdiff_t>(n), rng_);
    return !std::equal(before.begin(), before.end(), first);
  }
  bool flip_bit(std::string& d) {
    if (d.empty()) return false;
    const std::size_t at = below(d.size());
    d[at] = static_cast<char>(d[at] ^ static_cast<char>(1U << below(8)));
    return true;
  }
  bool change_byte(std::string& d) {
    if (d.empty()) return false;
    const std::size_t at = below(d.size());
    const char before = d[at];
    d[at] = random_byte();
    return d[at] != before;
  }
  // Replaces a run of ASCII digits by a nearby or boundary value (lengths, counts, ports).
  bool change_number(std::string& d) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (d[i] >= '0' && d[i] <= '9' && (i == 0 || d[i - 1] < '0' || d[i - 1] > '9')) {
        starts.push_back(i);
      }
    }
    if (starts.empty()) return false;
    const std::size_t from = starts[below(starts.size())];
    std::size_t to = from;
    while (to < d.size() && d[to] >= '0' && d[to] <= '9') ++to;
    std::uint64_t value = 0;
    (void)std::from_chars(d.data() + from, d.data() + to, value);  // overflow leaves 0: fine
    constexpr std::array<std::uint64_t, 8> kBoundaries = {
        0, 1, 255, 256, 4096, 65535, 65536, std::uint64_t{1} << 32};
    switch (below(5)) {
      case 0:
        value += 1;
        break;
      case 1:
        value -= 1;
        break;  // wraps for 0: a 20-digit number, also worth a try
      case 2:
        value *= 2;
        break;
      case 3:
        value = kBoundaries[below(kBoundaries.size())];
        break;
      default:
        value = rng_();
        break;
    }
    const std::string text = std::to_string(value);
    if (d.size() - (to - from) + text.size() > max_) return false;
    const std::string before = d.substr(from, to - from);
    d.replace(from, to - from, text);
    return text != before;
  }
  bool copy_over(std::string& d) {
    if (d.size() < 2) return false;
    const std::size_t n = length_up_to(d.size() - 1);
    const std::size_t from = below(d.size() - n + 1);
    const std::size_t to = below(d.size() - n + 1);
    if (from == to) return false;
    const std::string part = d.substr(from, n);
    d.replace(to, n, part);
    return true;
  }
  // Inserts a copy of part of the input, sometimes repeated up to the room left: a repeated
  // request grows the input quickly (pipelining, buffer sizes).
  bool copy_into(std::string& d) {
    if (d.empty() || room(d) == 0) return false;
    const std::size_t n = std::min(length_up_to(d.size()), room(d));
    std::string part = d.substr(below(d.size() - n + 1), n);
    const std::size_t times = below(4) == 0 ? between(1, std::max<std::size_t>(1, room(d) / n)) : 1;
    std::string block;
    block.reserve(n * times);
    for (std::size_t i = 0; i < times; ++i) block += part;
    d.insert(below(d.size() + 1), block);
    return true;
  }
  bool dict_insert(std::string& d) {
    if (dict_.entries.empty()) return false;
    const std::string& e = dict_.entries[below(dict_.entries.size())];
    if (e.size() > room(d)) return false;
    d.insert(below(d.size() + 1), e);
    return true;
  }
  bool dict_overwrite(std::string& d) {
    if (dict_.entries.empty()) return false;
    const std::string& e = dict_.entries[below(dict_.entries.size())];
    if (e.size() > max_) return false;
    if (d.size() < e.size()) d.resize(e.size());
    const std::size_t at = below(d.size() - e.size() + 1);
    const bool same = d.compare(at, e.size(), e) == 0;
    d.replace(at, e.size(), e);
    return !same;
  }
  // libFuzzer's CrossOver: splices a prefix of one with a suffix of the other, or inserts a part
  // of `other`.
  bool cross_over(std::string& d) {
    if (other_.empty()) return false;
    if (below(2) == 0) {
      const std::size_t keep = below(d.size() + 1);
      const std::size_t from = below(other_.size());
      std::string spliced = d.substr(0, keep);
      spliced.append(other_.substr(from, max_ - std::min(max_, keep)));
      if (spliced == d) return false;
      d = std::move(spliced);
      return true;
    }
    if (room(d) == 0) return false;
    const std::size_t n = std::min(length_up_to(other_.size()), room(d));
    d.insert(below(d.size() + 1), other_.substr(below(other_.size() - n + 1), n));
    return true;
  }

  std::mt19937_64& rng_;
  std::size_t max_;
  const Dictionary& dict_;
  std::string_view other_;
};

}  // namespace

Mutator::Mutator(std::uint64_t seed, std::size_t max_size, Dictionary dictionary)
    : rng_(seed),
      max_size_(std::max<std::size_t>(max_size, 1)),
      dictionary_(std::move(dictionary)) {}

std::string Mutator::mutate(std::string_view input, std::string_view other) {
  const std::string_view start = input.substr(0, max_size_);
  std::string d(start);
  Kinds kinds(rng_, max_size_, dictionary_, other);
  const int stacked = std::uniform_int_distribution<int>(1, kMaxStacked)(rng_);
  for (int applied = 0, tries = 0; applied < stacked && tries < 8 * kMaxStacked; ++tries) {
    if (kinds.apply(d)) ++applied;
  }
  // A mutant equal to the input wastes an execution.
  if (d == input) kinds.force_change(d);
  return d;
}

std::vector<std::size_t> Mutator::segments(std::size_t total) {
  if (total <= 1) return {total};
  // Out of eight inputs: four whole, three cut once, one cut at 2..16 points (see the .hpp).
  const int kind = std::uniform_int_distribution<int>(0, 7)(rng_);
  if (kind < 4) return {total};
  const std::size_t points =
      kind < 7 ? 1 : std::uniform_int_distribution<std::size_t>(2, kMaxCuts)(rng_);
  const std::size_t wanted = std::min(points, total - 1);
  std::set<std::size_t> cuts;
  std::uniform_int_distribution<std::size_t> position(1, total - 1);
  while (cuts.size() < wanted) cuts.insert(position(rng_));
  std::vector<std::size_t> sizes;
  std::size_t from = 0;
  for (const std::size_t cut : cuts) {
    sizes.push_back(cut - from);
    from = cut;
  }
  sizes.push_back(total - from);
  return sizes;
}

}  // namespace sockspec::blackbox
