// ChildProcess: a program started by a test with its stdin fed and stdout/stderr captured;
// killed (whole process group) and reaped by its destructor.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::client::testing {

struct ChildResult {
  int exit_code = -1;      // when it exited; -1 when killed by a signal
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // it outlived the limit given to wait() and was killed
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};  // from start() to the exit being seen
};

class ChildProcess {
 public:
  struct Options {
    std::string stdin_data;        // written to the child's stdin, which is then closed...
    bool keep_stdin_open = false;  // ...unless this is set: the child never sees EOF
  };

  // Starts `argv` (argv[0] is a path) in a process group of its own, set to die with the test
  // process (PR_SET_PDEATHSIG). Safe to call while other threads run: between fork and exec
  // the child calls only async-signal-safe functions.
  [[nodiscard]] static net::Result<ChildProcess> start(const std::vector<std::string>& argv,
                                                       Options options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Feeds stdin and collects stdout and stderr until the child exits, or kills it once
  // `limit` has passed since start(). Call once.
  [[nodiscard]] ChildResult wait(std::chrono::milliseconds limit);

 private:
  ChildProcess(pid_t pid, net::Fd in, net::Fd out, net::Fd err, std::string input);
  void kill_group() const;
  // The one waitpid of this helper; true when the child was reaped into `status`.
  bool reap(int& status, bool block);

  pid_t pid_ = -1;  // -1 once reaped
  net::Fd in_;
  net::Fd out_;
  net::Fd err_;
  std::string input_;
  bool keep_stdin_open_ = false;
  std::chrono::steady_clock::time_point started_;
};

// `name` in the directory SOCKSPEC_BIN_DIR names (set by sockspec_add_test); "" when unset.
[[nodiscard]] std::string program_path(const std::string& name);

// Runs sockspec-client with `args`, waiting at most `limit`.
[[nodiscard]] ChildResult run_client(const std::vector<std::string>& args,
                                     ChildProcess::Options options = {},
                                     std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace sockspec::client::testing
