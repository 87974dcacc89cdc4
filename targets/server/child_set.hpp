// ChildSet: the processes of the processes model. Each child is forked to serve one client and
// _exit()s; the parent reaps every child as soon as SIGCHLD says one ended (CON-3), and on
// stop terminates and reaps them all before it exits (CON-6).
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <set>

#include "targets/net/result.hpp"

namespace sockspec::server {

class ChildSet {
 public:
  explicit ChildSet(std::size_t limit) : limit_(limit) {}
  ChildSet(const ChildSet&) = delete;
  ChildSet& operator=(const ChildSet&) = delete;
  // Stops and reaps whatever is left.
  ~ChildSet() { stop_all(std::chrono::milliseconds(0)); }

  [[nodiscard]] bool has_room() const { return children_.size() < limit_; }
  [[nodiscard]] std::size_t room() const { return limit_ - children_.size(); }

  // Forks; the child runs `work` then _exit(0)s without running the parent's destructors.
  // Returns an error when fork() failed (the client is dropped; the server carries on).
  template <class Work>
  net::Status spawn(Work&& work);

  // Reaps every child that has ended (waitpid WNOHANG), never blocking.
  void reap();

  // SIGTERM to every child, waits up to `grace` for them to end, then SIGKILL; reaps all.
  void stop_all(std::chrono::milliseconds grace);

 private:
  [[nodiscard]] static pid_t fork_child();
  [[nodiscard]] net::Status after_fork(pid_t pid);
  static void prepare_child();
  [[noreturn]] static void exit_child();

  std::size_t limit_;
  std::set<pid_t> children_;
};

template <class Work>
net::Status ChildSet::spawn(Work&& work) {
  const pid_t pid = fork_child();
  if (pid == 0) {
    prepare_child();
    work();
    exit_child();
  }
  return after_fork(pid);
}

}  // namespace sockspec::server
