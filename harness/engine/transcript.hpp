// Transcript: the timestamped record of one case (sends, receives, events), bounded in entries
// and bytes so that a 16 MiB exchange or a 500-connection loop stays small. Thread-safe: the
// clients of a `parallel` step write to one transcript.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/result.hpp"

namespace sockspec::engine {

class Transcript {
 public:
  Transcript() : started_(std::chrono::steady_clock::now()) {}

  void sent(std::string_view endpoint, std::string_view bytes);
  void received(std::string_view endpoint, std::string_view bytes);
  void event(std::string_view endpoint, std::string text);

  // The entries kept: the first few and the last kTranscriptEntries (the end is where a failure
  // is; the start shows how the case began), with an event saying how many were dropped.
  [[nodiscard]] std::vector<TranscriptEntry> entries() const;
  [[nodiscard]] std::chrono::microseconds since_start() const;

 private:
  void add(TranscriptEntry entry);

  static constexpr std::size_t kHead = 20;
  const std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::vector<TranscriptEntry> head_;
  std::deque<TranscriptEntry> tail_;
  std::uint64_t dropped_ = 0;
};

}  // namespace sockspec::engine
