// Saving a campaign's kept inputs without making its loop wait for the disk: a thread of its own
// writes them (save_messages) in the order they were queued. Creating a file can take a
// millisecond on a loaded machine, twenty inputs' worth of fuzzing.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "harness/blackbox/minimise.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

class CorpusWriter {
 public:
  // At most this many inputs wait to be written; save() waits for room beyond.
  static constexpr std::size_t kMaxPending = 1024;

  explicit CorpusWriter(std::string dir);
  // Writes everything queued, then ends its thread.
  ~CorpusWriter();
  CorpusWriter(const CorpusWriter&) = delete;
  CorpusWriter& operator=(const CorpusWriter&) = delete;

  // Queues `input` to be saved in the folder. Returns the first write error so far, if any.
  [[nodiscard]] net::Status save(Messages input);
  // Waits until everything queued is written; the first write error so far, if any.
  [[nodiscard]] net::Status flush();

 private:
  void run();
  [[nodiscard]] net::Status status_locked() const;

  const std::string dir_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Messages> queue_;
  bool writing_ = false;
  bool closing_ = false;
  std::optional<net::Error> error_;
  std::jthread thread_;  // last: started once the rest exists, joined before it goes
};

}  // namespace sockspec::blackbox
