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

// One program's cgroup, <run folder>/p<N>: emptied by the destructor (every process in it killed;
// waits at most 2 s for them to end), then kept for the next Cgroup::create() of this harness,
// or removed (a folder that cannot be is left to the keeper). The run folder, with all of them,
// is removed when the harness exits.
class Cgroup {
 public:
  // A new cgroup, or an error saying why there is none (containment_description()).
  [[nodiscard]] static net::Result<Cgroup> create();
  Cgroup(Cgroup&& other) noexcept
      : path_(std::exchange(other.path_, {})),
        dir_(std::move(other.dir_)),
        killed_(other.killed_) {}
  Cgroup& operator=(Cgroup&& other) noexcept;
  Cgroup(const Cgroup&) = delete;
  Cgroup& operator=(const Cgroup&) = delete;
  ~Cgroup();

  // The cgroup's folder, open: the child is born in it (spawn.hpp).
  [[nodiscard]] int fd() const { return dir_.get(); }
  [[nodiscard]] const std::string& path() const { return path_; }
  // The processes in it now (zombies excluded: the kernel lists live processes only).
  [[nodiscard]] std::vector<pid_t> members() const;
  // Waits until it is empty, at most `timeout`, sending SIGKILL to every process in it
  // (cgroup.kill; before Linux 5.14, each member in turn) unless it empties within 50 ms by
  // itself (the caller killed the process group). True once empty. A cgroup that needed
  // cgroup.kill is not reused: Linux 6.18 (here) kills every process later born into it with
  // clone3(CLONE_INTO_CGROUP) (seen here; the kill counter it compares is the parent's, it seems).
  bool kill_all(std::chrono::milliseconds timeout);

 private:
  Cgroup(std::string path, net::Fd dir) : path_(std::move(path)), dir_(std::move(dir)) {}
  void remove();
  std::string path_;
  net::Fd dir_;
  bool killed_ = false;  // cgroup.kill was used: removed, not reused
};

// Whether Cgroup::create() can work here (the run folder exists).
[[nodiscard]] bool cgroups_available();

// How programs are contained here: "cgroup v2: <run folder>" or "process group only: <why>".
[[nodiscard]] std::string containment_description();

// Removes the run folders (sockspec.<pid>) under `parent` whose harness is gone: their processes
// are killed first. Done once when the run folder is made; exposed for tests. Returns how many.
int remove_stale_run_folders(const std::string& parent);

}  // namespace sockspec::target
