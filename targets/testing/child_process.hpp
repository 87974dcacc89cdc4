// ChildProcess: a program started by a test, in its own process group, with stdin fed and stdout
// and stderr captured; killed and reaped by the destructor, so no test leaves a process behind.
//
// stdout is a pipe (READY lines are read as they come); stderr goes to an anonymous in-memory
// file, so a chatty program can never block on a full pipe that the test is not reading. stdin
// is fed while stdout is read, so a program that echoes a large input cannot deadlock the test.
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

struct StartOptions {
  std::string stdin_data;        // written to the child's stdin, which is then closed...
  bool keep_stdin_open = false;  // ...unless this is set: the child never sees EOF
};

// What run() saw: everything the program printed and how it ended.
struct RunResult {
  ExitStatus status;
  bool timed_out = false;  // it outlived the limit and was killed
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};           // from start() to the exit being seen
  std::chrono::steady_clock::time_point ended{};  // when the exit was seen
};

class ChildProcess {
 public:
  // Starts argv[0] (a path). The child dies with the calling *thread* (PR_SET_PDEATHSIG):
  // start it from the test's main thread.
  [[nodiscard]] static net::Result<ChildProcess> start(std::vector<std::string> argv,
                                                       StartOptions options = {});
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
  // Runs the process to its end: feeds stdin, collects stdout and stderr until it exits, or
  // kills its group once `limit` has passed since start().
  [[nodiscard]] RunResult run(std::chrono::milliseconds limit);

  // stdout read so far.
  [[nodiscard]] const std::string& out() const { return out_; }
  // Everything the program (and its children) wrote to stderr until now.
  [[nodiscard]] std::string err() const;
  // From start() to the exit being seen; std::nullopt while it runs.
  [[nodiscard]] std::optional<std::chrono::milliseconds> elapsed() const;

 private:
  // `started` is taken before fork: the child may run before the parent sees fork return, so a
  // later reading would make elapsed() shorter than the child's own run.
  ChildProcess(pid_t pid, net::Fd in, net::Fd out, net::Fd err, StartOptions options,
               std::chrono::steady_clock::time_point started);
  // Reads whatever is available from stdout and feeds stdin, waiting at most `timeout`. False
  // at stdout's EOF.
  bool pump(std::chrono::milliseconds timeout);
  void feed();
  // The one waitpid of this class; true once the exit is known.
  bool reap(bool block);

  pid_t pid_ = -1;
  net::Fd in_fd_;
  net::Fd out_fd_;
  net::Fd err_fd_;
  std::string in_;
  std::size_t fed_ = 0;
  bool keep_stdin_open_ = false;
  std::string out_;
  std::size_t lines_taken_ = 0;
  std::optional<ExitStatus> status_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point ended_;
};

// The absolute path of a built program: $SOCKSPEC_BIN_DIR/<name>.
[[nodiscard]] std::string program_path(const std::string& name);

// Starts `argv` and runs it to its end (ChildProcess::run), at most `limit`.
[[nodiscard]] net::Result<RunResult> run(std::vector<std::string> argv, StartOptions options,
                                         std::chrono::milliseconds limit);

}  // namespace sockspec::testing
