// Corpus: behaviour keys, capped growth and selection.
#include "harness/blackbox/corpus.hpp"

#include <bit>

namespace sockspec::blackbox {
namespace {

// 0 for 0, else 1 + floor(log2(n)): lengths 1, 2-3, 4-7, ... share a class.
std::uint64_t length_class(std::size_t n) {
  return static_cast<std::uint64_t>(std::bit_width(n));
}

}  // namespace

std::uint64_t behaviour_key(const Exchanged& e, std::size_t input_size) {
  const std::uint64_t first =
      e.reply.empty() ? 0 : 1 + static_cast<std::uint64_t>(static_cast<unsigned char>(e.reply[0]));
  return length_class(e.reply.size()) | first << 8 | length_class(input_size) << 20 |
         static_cast<std::uint64_t>(e.closed) << 32 | static_cast<std::uint64_t>(e.verdict) << 33;
}

void Corpus::add_seed(std::string_view input, std::size_t max_len) {
  std::string cut(input.substr(0, max_len));
  if (cut.empty() || known_.contains(cut)) return;
  known_.insert(cut);
  // Seeds sit in front of every grown entry.
  entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(seeds_), std::move(cut));
  ++seeds_;
  longest_ = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) note_length(i);
}

bool Corpus::consider(std::string_view input, std::uint64_t behaviour, std::mt19937_64& rng) {
  if (input.empty() || behaviours_.contains(behaviour)) return false;
  std::string entry(input);
  if (known_.contains(entry)) return false;
  behaviours_.insert(behaviour);
  known_.insert(entry);
  if (entries_.size() < capacity_ || seeds_ >= entries_.size()) {
    entries_.push_back(std::move(entry));
    note_length(entries_.size() - 1);
    return true;
  }
  std::uniform_int_distribution<std::size_t> grown(seeds_, entries_.size() - 1);
  const std::size_t victim = grown(rng);
  known_.erase(entries_[victim]);
  entries_[victim] = std::move(entry);
  if (victim == longest_) {
    longest_ = 0;
    for (std::size_t i = 0; i < entries_.size(); ++i) note_length(i);
  } else {
    note_length(victim);
  }
  return true;
}

void Corpus::note_length(std::size_t index) {
  if (entries_[index].size() > entries_[longest_].size()) longest_ = index;
}

const std::string& Corpus::pick(std::mt19937_64& rng) const {
  if (rng() % 8 == 0) return entries_[longest_];
  std::uniform_int_distribution<std::size_t> any(0, entries_.size() - 1);
  return entries_[any(rng)];
}

}  // namespace sockspec::blackbox
