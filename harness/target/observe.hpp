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

// A census of one process (the server: see server_process) and the processes below it.
struct Census {
  std::uint32_t fds = 0;       // open descriptors of the process
  std::uint32_t threads = 0;   // its threads
  std::uint32_t children = 0;  // live processes below it: children, theirs... (zombies included)
  std::uint32_t zombies = 0;   // of those, not yet reaped
  // CPU time (user + system) of the process, its reaped children and the processes below it; in
  // clock ticks (10 ms), from /proc/PID/stat.
  std::chrono::milliseconds cpu{0};
  std::uint64_t rss = 0;  // resident memory of the process and those below it, in bytes
  bool operator==(const Census&) const = default;
};
[[nodiscard]] net::Result<Census> take_census(pid_t pid);

// The process a census counts: of `pid` (the program started) and the processes below it, the
// one nearest to `pid` that holds one of the server's `sockets` (same transport and port; with
// none given, any listening or bound socket). `pid` itself when it does, as when the program is
// the server or a wrapper that `exec`s it; the server below a wrapper shell that does not; `pid`
// when no process holds one.
[[nodiscard]] pid_t server_process(pid_t pid, const std::vector<BoundSocket>& sockets);

// The kernel's ephemeral port range (/proc/sys/net/ipv4/ip_local_port_range).
struct PortRange {
  std::uint16_t low = 32768;
  std::uint16_t high = 60999;
};
[[nodiscard]] net::Result<PortRange> ephemeral_port_range();

}  // namespace sockspec::target
