// spawn_child: the launcher's one process creation. A vfork-style clone (the child borrows the
// harness's memory until it execs) instead of fork: fork copies the page tables of a large,
// many-threaded harness, which took 10 ms per target in a busy pack against 1-2 ms alone.
#pragma once

#include <sys/types.h>

#include "targets/net/result.hpp"

namespace sockspec::target {

// What the child sets up between its creation and exec. Every descriptor stays owned by the
// caller; the child only duplicates them.
struct ChildSetup {
  pid_t parent = -1;  // the harness's pid: the child exits (127) if it is already gone
  int stdin_fd = -1;  // become the child's 0, 1 and 2
  int stdout_fd = -1;
  int stderr_fd = -1;
  int status_fd = -1;           // close-on-exec: gets the errno (an int) when a step or exec fails
  int cgroup_fd = -1;           // a cgroup v2 folder: the child is born in it, or joins it first
  bool die_with_parent = true;  // false: no PDEATHSIG, and no exit when the parent is gone
  const char* path = nullptr;
  char* const* argv = nullptr;  // null-terminated
  char* const* envp = nullptr;  // null-terminated
};

// Starts a child that, in order: is born in the cgroup `cgroup_fd` if given (clone3 with
// CLONE_INTO_CGROUP; where the kernel lacks it, the child joins it first thing, and a failure to
// is reported as an exec failure); makes a new process group whose id is its pid; gets SIGKILL
// when the calling *thread* ends (PR_SET_PDEATHSIG; unless !die_with_parent); resets every signal
// to its default and unblocks all; takes the three descriptors as 0, 1, 2; marks every other
// descriptor close-on-exec (none of the harness's leaks into the target); and execs `path`. The
// calling thread waits until the exec happened or the child exited; the caller reads `status_fd`'s
// other end to tell which. Returns the pid; errors: the clone failed (EAGAIN, ENOMEM...).
[[nodiscard]] net::Result<pid_t> spawn_child(const ChildSetup& setup);

}  // namespace sockspec::target
