// SequenceCorpus: deduplicated, capped, seeds first.
#include "harness/blackbox/sequence_corpus.hpp"

#include <algorithm>

namespace sockspec::blackbox {

std::string SequenceCorpus::key(const Messages& messages) {
  std::string k;
  for (const std::string& m : messages) {
    k += std::to_string(m.size());
    k += ':';
    k += m;
  }
  return k;
}

bool SequenceCorpus::usable(const Messages& messages) const {
  return !messages.empty() &&
         std::none_of(messages.begin(), messages.end(),
                      [](const std::string& m) { return m.empty(); }) &&
         !known_.contains(key(messages));
}

void SequenceCorpus::add_seed(Messages messages) {
  if (!usable(messages)) return;
  known_.insert(key(messages));
  entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(seeds_), std::move(messages));
  ++seeds_;
  recent_.clear();  // indexes moved (seeds come before any grown entry)
  next_recent_ = 0;
}

bool SequenceCorpus::add(Messages messages, std::mt19937_64& rng) {
  if (!usable(messages)) return false;
  known_.insert(key(messages));
  if (entries_.size() < capacity_ || seeds_ >= entries_.size()) {
    entries_.push_back(std::move(messages));
    note_recent(entries_.size() - 1);
    return true;
  }
  std::uniform_int_distribution<std::size_t> grown(seeds_, entries_.size() - 1);
  const std::size_t victim = grown(rng);
  known_.erase(key(entries_[victim]));
  entries_[victim] = std::move(messages);
  note_recent(victim);
  return true;
}

const Messages& SequenceCorpus::pick(std::mt19937_64& rng) const {
  if (rng() % 2 == 0 && !recent_.empty()) {
    std::uniform_int_distribution<std::size_t> any(0, recent_.size() - 1);
    return entries_[recent_[any(rng)]];
  }
  std::uniform_int_distribution<std::size_t> any(0, entries_.size() - 1);
  return entries_[any(rng)];
}

void SequenceCorpus::note_recent(std::size_t index) {
  if (recent_.size() < kRecent) {
    recent_.push_back(index);
  } else {
    recent_[next_recent_] = index;
    next_recent_ = (next_recent_ + 1) % kRecent;
  }
}

const std::string& SequenceCorpus::any_message(std::mt19937_64& rng) const {
  const Messages& entry = pick(rng);
  std::uniform_int_distribution<std::size_t> any(0, entry.size() - 1);
  return entry[any(rng)];
}

}  // namespace sockspec::blackbox
