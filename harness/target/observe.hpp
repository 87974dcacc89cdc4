// What /proc shows about a running target and its process group: the sockets it listens on or
// has bound, and a census of descriptors, threads and child processes for leak checks.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "harness/target/instance.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

// Listening TCP and bound UDP sockets held by any process of process group `pgid`
// (/proc/<pid>/fd socket inodes, looked up with sock_diag; see sock_diag.hpp).
[[nodiscard]] net::Result<std::vector<BoundSocket>> bound_sockets(pid_t pgid);

struct Census {
  std::uint32_t fds = 0;       // open descriptors of the main process
  std::uint32_t threads = 0;   // its threads
  std::uint32_t children = 0;  // live processes whose parent it is (zombies included)
  std::uint32_t zombies = 0;   // of those, not yet reaped
  // CPU time (user + system) of the process, its reaped children and its live children; in
  // clock ticks (10 ms), from /proc/PID/stat.
  std::chrono::milliseconds cpu{0};
  std::uint64_t rss = 0;  // resident memory of the process and its live children, in bytes
  bool operator==(const Census&) const = default;
};
[[nodiscard]] net::Result<Census> take_census(pid_t pid);

// The kernel's ephemeral port range (/proc/sys/net/ipv4/ip_local_port_range).
struct PortRange {
  std::uint16_t low = 32768;
  std::uint16_t high = 60999;
};
[[nodiscard]] net::Result<PortRange> ephemeral_port_range();

}  // namespace sockspec::target
