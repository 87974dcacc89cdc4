// CorpusWriter: a queue and the thread that empties it into the corpus folder.
#include "harness/blackbox/corpus_writer.hpp"

#include "harness/blackbox/corpus_store.hpp"

namespace sockspec::blackbox {

CorpusWriter::CorpusWriter(std::string dir) : dir_(std::move(dir)), thread_([this] { run(); }) {}

CorpusWriter::~CorpusWriter() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  // thread_ (the last member) is joined first: it writes what is queued, then returns.
}

net::Status CorpusWriter::save(Messages input) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.size() < kMaxPending; });
  queue_.push_back(std::move(input));
  changed_.notify_all();
  return status_locked();
}

net::Status CorpusWriter::flush() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && !writing_; });
  return status_locked();
}

net::Status CorpusWriter::status_locked() const {
  if (error_) return *error_;
  return {};
}

void CorpusWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;  // closing, and everything is written
    const Messages input = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    net::Result<std::string> saved = save_messages(dir_, input);
    lock.lock();
    writing_ = false;
    if (!saved && !error_) error_ = saved.error();
    changed_.notify_all();
  }
}

}  // namespace sockspec::blackbox
