// Whether a live target has finished with what it was sent, seen from outside: every thread of
// its process sleeps and its coverage counters stopped changing. Used where no reply model says
// when an answer is complete (a server's own protocol; a message that gets no reply).
#pragma once

#include <sys/types.h>

#include <chrono>

#include "harness/blackbox/coverage_map.hpp"

namespace sockspec::blackbox {

// Whether every thread of process `pid` is sleeping interruptibly (state S in
// /proc/<pid>/task/*/stat: waiting in epoll_wait, accept, read...). False when one runs, waits
// on the disk, or the process is gone.
[[nodiscard]] bool threads_sleeping(pid_t pid);

// Waits until `pid`'s threads all sleep and `map` did not change between two such looks `pause`
// apart; at most `limit`. Returns whether it settled within `limit`. Over loopback a send wakes
// the target's reading thread (state R) before it returns, so a target seen asleep right after
// a send either finished with it or was not woken by it (a connection it already closed).
// Threads of other processes (children of a forking server) are not looked at.
bool wait_settled(pid_t pid, const CoverageMap& map, std::chrono::microseconds limit,
                  std::chrono::microseconds pause = std::chrono::microseconds(50));

}  // namespace sockspec::blackbox
