// Leftovers: what a program left running after its stop -- a process outside its process group
// (a daemon: double fork, setsid) -- described with the sockets it holds, for the case's verdict.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "harness/target/instance.hpp"

namespace sockspec::target {

struct Leftover {
  pid_t pid = -1;
  std::string name;                    // /proc/<pid>/comm
  std::vector<BoundSocket> sockets{};  // listening TCP, bound UDP
};

// What /proc shows of `pid` now (name empty when it is gone).
[[nodiscard]] Leftover look_at(pid_t pid);

// "pid 1234 (mydaemon) was still running and held 127.0.0.1:40123 listening (tcp)"
[[nodiscard]] std::string describe(const Leftover& leftover);

// The process group of `pid` (/proc/<pid>/stat), or -1 when it is gone.
[[nodiscard]] pid_t process_group_of(pid_t pid);

}  // namespace sockspec::target
