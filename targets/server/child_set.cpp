// fork, reap and stop for ChildSet: the one place the server calls waitpid() and kill().
#include "targets/server/child_set.hpp"

#include <signal.h>

#include <cerrno>
#include <thread>

#include "targets/net/signal_pipe.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::server {

pid_t ChildSet::fork_child() {
  return net::sys::ops().fork();
}

void ChildSet::prepare_child() {
  // The parent's handlers would write into the parent's pipes: a SIGTERM sent to this child
  // alone must end this child alone. The parent's stop reaches us anyway: we inherited the
  // read end of its stop pipe and serve_connection() watches it.
  net::reset_signals_in_child({SIGTERM, SIGINT, SIGCHLD});
}

void ChildSet::exit_child() {
  ::_exit(0);
}

net::Status ChildSet::after_fork(pid_t pid) {
  if (pid < 0) return net::errno_error(errno, "fork");
  children_.insert(pid);
  return {};
}

void ChildSet::reap() {
  for (;;) {
    const pid_t pid = net::sys::ops().waitpid(-1, nullptr, WNOHANG);
    if (pid <= 0) return;  // 0: none ended; -1 ECHILD: none left
    children_.erase(pid);
  }
}

void ChildSet::stop_all(std::chrono::milliseconds grace) {
  for (const pid_t pid : children_) (void)net::sys::ops().kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (!children_.empty() && std::chrono::steady_clock::now() < deadline) {
    reap();
    if (!children_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (const pid_t pid : children_) {
    (void)net::sys::ops().kill(pid, SIGKILL);
    (void)net::sys::ops().waitpid(pid, nullptr, 0);
  }
  children_.clear();
}

}  // namespace sockspec::server
