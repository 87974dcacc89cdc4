// The campaign's side of its corpus folder (the first --corpus): each input the campaign keeps is
// saved there at once, and every few seconds the files others saved there (the other workers, a
// run beside it) are read, to be run before new mutations so the campaign keeps what is new to it.
// One per worker; the folder is what the workers share (each its own CorpusSync).
#pragma once

#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "harness/blackbox/corpus_store.hpp"
#include "harness/blackbox/corpus_writer.hpp"
#include "harness/blackbox/minimise.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

struct CorpusFolder {
  std::string dir{};                            // "": no folder (nothing saved or read)
  std::vector<std::string> known{};             // its files already read: `resume`
  std::chrono::milliseconds sync_every{2'000};  // how often it is read again
  // Once this many files are known to be in it (read or saved), nothing more is saved: a run
  // reads no more than that many files of a folder, and the disk it takes stays bounded.
  std::size_t max_files = kMaxCorpusFiles;
  // Their inputs, run before any mutation (next()), so that the campaign keeps those that are new
  // by its own measure, as sequences: a run resumes where the last one stopped.
  std::vector<Messages> resume{};
};

class CorpusSync {
 public:
  using Clock = std::chrono::steady_clock;
  // Queues folder.resume; reads nothing yet: the first poll() is `folder.sync_every` after `now`.
  CorpusSync(const CorpusFolder& folder, std::size_t max_len, Clock::time_point now);

  // Saves `input`, which the campaign kept (nothing without a folder, nothing for a file it read
  // or saved before, nothing once the folder is full), by a CorpusWriter: at once, but the
  // caller does not wait for the disk. Error: an earlier save could not be written.
  [[nodiscard]] net::Status kept(const Messages& input);
  // Waits until every kept input is written. Error: one could not be.
  [[nodiscard]] net::Status finish();
  // Once sync_every has passed since the last read, and only when the queue is empty, reads the
  // files not read or saved before (at most kMaxCorpusFiles) into the queue; a bad file is
  // skipped with a warning line on `log` (nullptr: none), and so, once, is a full folder.
  // Error: the folder cannot be listed.
  [[nodiscard]] net::Status poll(Clock::time_point now, std::FILE* log);
  // The next input read from the folder, in name order; nullopt when none is queued.
  [[nodiscard]] std::optional<Messages> next();
  // Inputs read from the folder so far: folder.resume and by poll().
  [[nodiscard]] std::size_t imported() const { return imported_; }

 private:
  std::string dir_;
  std::size_t max_len_;
  std::chrono::milliseconds every_;
  std::size_t max_files_;
  bool said_full_ = false;
  Clock::time_point next_poll_;
  std::unordered_set<std::string> seen_;  // file names read or saved
  std::deque<Messages> queue_;
  std::size_t imported_ = 0;
  std::unique_ptr<CorpusWriter> writer_;  // null without a folder
};

// The messages of `input` as one, for a campaign whose inputs are single messages.
[[nodiscard]] std::string joined(const Messages& input);

}  // namespace sockspec::blackbox
