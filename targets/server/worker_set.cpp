// Wake-up pipe and joining for WorkerSet.
#include "targets/server/worker_set.hpp"

#include <fcntl.h>

#include <cstdlib>

#include "targets/net/result.hpp"
#include "targets/net/sys.hpp"
#include "targets/server/log.hpp"

namespace sockspec::server {

WorkerSet::WorkerSet(std::size_t limit) : limit_(limit) {
  int fds[2] = {-1, -1};
  if (net::sys::ops().pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    // Without the pipe finished threads would never be joined; this is resource exhaustion
    // at start-up, before any client was served.
    log_line("{}", net::errno_error(errno, "pipe2").message);
    std::abort();
  }
  wake_read_.reset(fds[0]);
  wake_write_.reset(fds[1]);
}

WorkerSet::~WorkerSet() {
  workers_.clear();
}  // each jthread joins in its destructor

void WorkerSet::notify() {
  const char byte = 1;
  // A full pipe already holds a wake-up: losing this byte loses nothing.
  [[maybe_unused]] const auto n = net::sys::ops().write(wake_write_.get(), &byte, 1);
}

void WorkerSet::reap() {
  char buffer[256];
  while (net::sys::ops().read(wake_read_.get(), buffer, sizeof buffer) > 0) {
  }
  workers_.remove_if([](const Worker& w) { return w.done->load(std::memory_order_acquire); });
}

}  // namespace sockspec::server
