// Transcript recording (see transcript.hpp).
#include "harness/engine/transcript.hpp"

#include <fmt/format.h>

namespace sockspec::engine {

std::chrono::microseconds Transcript::since_start() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               started_);
}

void Transcript::sent(std::string_view endpoint, std::string_view bytes) {
  add({since_start(), TranscriptEntry::Kind::sent, std::string(endpoint),
       std::string(bytes.substr(0, kTranscriptBytes)), bytes.size()});
}

void Transcript::received(std::string_view endpoint, std::string_view bytes) {
  add({since_start(), TranscriptEntry::Kind::received, std::string(endpoint),
       std::string(bytes.substr(0, kTranscriptBytes)), bytes.size()});
}

void Transcript::event(std::string_view endpoint, std::string text) {
  add({since_start(), TranscriptEntry::Kind::event, std::string(endpoint), std::move(text), 0});
}

void Transcript::add(TranscriptEntry entry) {
  const std::lock_guard lock(mutex_);
  if (head_.size() < kHead) {
    head_.push_back(std::move(entry));
    return;
  }
  tail_.push_back(std::move(entry));
  if (tail_.size() > kTranscriptEntries) {
    tail_.pop_front();
    ++dropped_;
  }
}

std::vector<TranscriptEntry> Transcript::entries() const {
  const std::lock_guard lock(mutex_);
  std::vector<TranscriptEntry> out(head_.begin(), head_.end());
  if (dropped_ > 0) {
    out.push_back({tail_.front().at, TranscriptEntry::Kind::event, "",
                   fmt::format("... {} entries not shown ...", dropped_), 0});
  }
  out.insert(out.end(), tail_.begin(), tail_.end());
  return out;
}

}  // namespace sockspec::engine
