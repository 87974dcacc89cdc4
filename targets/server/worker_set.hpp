// WorkerSet: the threads of the threads model. Each worker is a std::jthread that is joined by
// its owner, never detached: when one finishes it says so through wake_fd(), and the main loop
// calls reap() to join it, so the thread count returns to baseline (CON-4).
#pragma once

#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>

#include "targets/net/fd.hpp"
#include "targets/server/log.hpp"

namespace sockspec::server {

class WorkerSet {
 public:
  explicit WorkerSet(std::size_t limit);
  WorkerSet(const WorkerSet&) = delete;
  WorkerSet& operator=(const WorkerSet&) = delete;
  // Joins every worker; they must be able to end (they watch the stop pipe).
  ~WorkerSet();

  [[nodiscard]] bool has_room() const { return workers_.size() < limit_; }
  [[nodiscard]] std::size_t room() const { return limit_ - workers_.size(); }
  // Readable when a worker has finished and is waiting to be joined.
  [[nodiscard]] int wake_fd() const { return wake_read_.get(); }

  // Runs `work` on a new thread. Call from the owning thread only, when has_room(). When no
  // thread can be started (EAGAIN: out of threads or memory) the failure is logged and `work`
  // is dropped with what it owns (a client's socket is closed): resource exhaustion costs one
  // client, never the server (CON-5).
  template <class Work>
  void spawn(Work&& work) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    try {
      std::jthread thread([this, done, work = std::forward<Work>(work)]() mutable {
        work();
        done->store(true, std::memory_order_release);
        notify();
      });
      workers_.push_back({std::move(thread), std::move(done)});
    } catch (const std::system_error& e) {
      log_line("cannot start a worker thread: {}", e.what());
    }
  }

  // Joins the workers that finished. Owning thread only.
  void reap();

 private:
  struct Worker {
    std::jthread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void notify();

  std::size_t limit_;
  std::list<Worker> workers_;
  net::Fd wake_read_;
  net::Fd wake_write_;
};

}  // namespace sockspec::server
