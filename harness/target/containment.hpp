// Containment: every program the launcher starts runs in a cgroup (v2) of its own, so that all
// it starts -- daemons that left its process group (setsid, double fork) and their children --
// can be listed, killed and waited for with it. Where the machine has no writable cgroup v2,
// the process group is all the launcher has (harness/README.md, "Containment").
//
// The cgroups of one harness process live under one run folder, <cgroup2 mount><own cgroup>/
// sockspec.<pid>, created on first use. Beside it runs a keeper: a small shell (not in the run
// folder, not in the harness's process group) that waits for the harness's end on a pipe and then
// kills everything in the run folder and removes it. So a harness killed with SIGKILL leaves no
// target behind. If the keeper was killed too, the next harness to start removes the run folders
// whose owner is gone.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

// One program's cgroup, <run folder>/p<N>: removed by the destructor, after every process in it
// was killed (waits at most 2 s for them to end; a folder that cannot be removed is left to the
// keeper).
class Cgroup {
 public:
  // A new cgroup, or an error saying why there is none (containment_description()).
  [[nodiscard]] static net::Result<Cgroup> create();
  Cgroup(Cgroup&& other) noexcept
      : path_(std::exchange(other.path_, {})), procs_(std::move(other.procs_)) {}
  Cgroup& operator=(Cgroup&& other) noexcept;
  Cgroup(const Cgroup&) = delete;
  Cgroup& operator=(const Cgroup&) = delete;
  ~Cgroup();

  // cgroup.procs, open for writing: the child writes "0" to it before exec (spawn.hpp).
  [[nodiscard]] int procs_fd() const { return procs_.get(); }
  [[nodiscard]] const std::string& path() const { return path_; }
  // The processes in it now (zombies excluded: the kernel lists live processes only).
  [[nodiscard]] std::vector<pid_t> members() const;
  // SIGKILL to every process in it (cgroup.kill; before Linux 5.14, each member in turn), then
  // waits until it is empty, at most `timeout`. True once empty.
  bool kill_all(std::chrono::milliseconds timeout);

 private:
  Cgroup(std::string path, net::Fd procs) : path_(std::move(path)), procs_(std::move(procs)) {}
  void remove();
  std::string path_;
  net::Fd procs_;
};

// Whether Cgroup::create() can work here (the run folder exists).
[[nodiscard]] bool cgroups_available();

// How programs are contained here: "cgroup v2: <run folder>" or "process group only: <why>".
[[nodiscard]] std::string containment_description();

// Removes the run folders (sockspec.<pid>) under `parent` whose harness is gone: their processes
// are killed first. Done once when the run folder is made; exposed for tests. Returns how many.
int remove_stale_run_folders(const std::string& parent);

}  // namespace sockspec::target
