// CorpusSync: saving kept inputs, reading back what others saved.
#include "harness/blackbox/corpus_sync.hpp"

#include <fmt/format.h>

#include "harness/blackbox/corpus_store.hpp"

namespace sockspec::blackbox {

CorpusSync::CorpusSync(const CorpusFolder& folder, std::size_t max_len, Clock::time_point now)
    : dir_(folder.dir),
      max_len_(max_len),
      every_(folder.sync_every),
      max_files_(folder.max_files),
      next_poll_(now + folder.sync_every),
      seen_(folder.known.begin(), folder.known.end()),
      queue_(folder.resume.begin(), folder.resume.end()),
      imported_(folder.resume.size()),
      writer_(folder.dir.empty() ? nullptr : std::make_unique<CorpusWriter>(folder.dir)) {}

net::Status CorpusSync::kept(const Messages& input) {
  if (!writer_ || seen_.size() >= max_files_) return {};
  if (!seen_.insert(content_name(input)).second) return {};
  return writer_->save(input);
}

net::Status CorpusSync::finish() {
  return writer_ ? writer_->flush() : net::Status{};
}

net::Status CorpusSync::poll(Clock::time_point now, std::FILE* log) {
  if (dir_.empty() || now < next_poll_ || !queue_.empty()) return {};
  next_poll_ = now + every_;
  net::Result<FolderRead> read = read_corpus_folder(dir_, max_len_, seen_);
  if (!read) return net::Error{fmt::format("--corpus {}", read.error().message)};
  for (std::string& name : read->names) seen_.insert(std::move(name));
  for (Messages& input : read->inputs) queue_.push_back(std::move(input));
  imported_ += read->inputs.size();
  if (log != nullptr) {
    for (const std::string& problem : read->bad)
      fmt::print(log, "fuzz: warning: --corpus {} (skipped)\n", problem);
    if (!said_full_ && seen_.size() >= max_files_) {
      fmt::print(log, "fuzz: warning: --corpus {} holds {} files: new inputs are not saved\n", dir_,
                 seen_.size());
      said_full_ = true;
    }
  }
  return {};
}

std::optional<Messages> CorpusSync::next() {
  if (queue_.empty()) return std::nullopt;
  Messages out = std::move(queue_.front());
  queue_.pop_front();
  return out;
}

std::string joined(const Messages& input) {
  std::string out;
  for (const std::string& m : input) out += m;
  return out;
}

}  // namespace sockspec::blackbox
