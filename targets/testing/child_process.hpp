// ChildProcess: a program started by a test, in its own process group, with stdout and stderr
// captured; killed and reaped by the destructor, so no test leaves a process behind.
//
// stdout is a pipe (READY lines are read as they come); stderr goes to an anonymous in-memory
// file, so a chatty program can never block on a full pipe that the test is not reading.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::testing {

struct ExitStatus {
  int code = -1;   // exit code, or -1 when killed
  int signal = 0;  // the signal that killed it, or 0
  [[nodiscard]] bool exited(int expected) const { return signal == 0 && code == expected; }
};

class ChildProcess {
 public:
  // Starts argv[0] (a path) with `stdin_data` fed to its stdin, then closed. The child dies with
  // the calling *thread* (PR_SET_PDEATHSIG): start it from the test's main thread.
  [[nodiscard]] static net::Result<ChildProcess> start(std::vector<std::string> argv,
                                                       std::string stdin_data = {});
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // SIGKILL to the whole group, then reaps.
  ~ChildProcess();

  [[nodiscard]] pid_t pid() const { return pid_; }

  // Reads stdout until `count` lines arrived (or EOF / timeout); returns those lines.
  [[nodiscard]] std::vector<std::string> read_lines(std::size_t count,
                                                    std::chrono::milliseconds timeout);
  // Reads stdout to EOF (bounded by `timeout`), then waits for the exit.
  [[nodiscard]] std::optional<ExitStatus> finish(std::chrono::milliseconds timeout);
  // Sends `sig` to the process (not its group).
  void signal(int sig) const;
  // Waits for the process to end, at most `timeout`; std::nullopt if it did not.
  [[nodiscard]] std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);

  // stdout read so far.
  [[nodiscard]] const std::string& out() const { return out_; }
  // Everything the program (and its children) wrote to stderr until now.
  [[nodiscard]] std::string err() const;

 private:
  ChildProcess(pid_t pid, net::Fd out, net::Fd err);
  // Reads whatever is available from stdout, waiting at most `timeout`. False at its EOF.
  bool pump(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  net::Fd out_fd_;
  net::Fd err_fd_;
  std::string out_;
  std::size_t lines_taken_ = 0;
  std::optional<ExitStatus> status_;
};

// The absolute path of a built program: $SOCKSPEC_BIN_DIR/<name>.
[[nodiscard]] std::string program_path(const std::string& name);

}  // namespace sockspec::testing
