// Process: the launcher. Starts a TargetCommand in its own process group, feeds its stdin and
// drains its stdout/stderr on a background thread into bounded tails; kills and reaps it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/target/command.hpp"
#include "harness/target/containment.hpp"
#include "harness/target/instance.hpp"
#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

// How much of each output stream is kept: the last kTailBytes.
inline constexpr std::size_t kTailBytes = 64 * 1024;
// A sanitizer's report on stderr (from the first line holding one of kSanitizerMarkers on) is
// also kept whole, up to kReportBytes: the tail alone may have lost its start.
inline constexpr std::size_t kReportBytes = 1024 * 1024;
inline constexpr std::string_view kSanitizerMarkers[] = {"ERROR: AddressSanitizer",
                                                         "ERROR: LeakSanitizer",
                                                         "WARNING: MemorySanitizer",
                                                         "WARNING: ThreadSanitizer",
                                                         "ERROR: HWAddressSanitizer",
                                                         "runtime error:",
                                                         "SUMMARY: "};
// The first stdout lines are kept apart (READY lines must survive a later flood of output):
// at most kEarlyLines lines of at most kEarlyLineBytes each.
inline constexpr std::size_t kEarlyLines = 64;
inline constexpr std::size_t kEarlyLineBytes = 512;

class Process {
 public:
  // Starts `command` (argv[0] a path, or a name looked up in PATH) with its env added to the
  // harness's, in a new process group whose id is its pid, with default signal dispositions and
  // an empty signal mask, and in a cgroup of its own where the machine allows it
  // (containment.hpp): everything it starts is then ended with it. stdin gets `stdin_data` then EOF
  // (/dev/null when empty). The child gets SIGKILL when the *thread* that called start() ends
  // (PR_SET_PDEATHSIG is tied to the starting thread): call it from a thread that outlives the
  // Process (the engine's workers live for the whole run). Errors: "cannot run 'x': No such file or
  // directory (ENOENT)", "cannot run 'x': not found in PATH", clone/pipe failures.
  [[nodiscard]] static net::Result<Process> start(const TargetCommand& command,
                                                  std::string stdin_data = {});
  Process(Process&&) noexcept;
  Process& operator=(Process&&) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // kill_all(), reaps (bounded: at most 2 s), then joins the reader thread; removes the cgroup.
  ~Process();

  [[nodiscard]] pid_t pid() const { return pid_; }
  // The exit status once the main process has ended; reaps it (non-blocking, but once the exit
  // is seen it waits for the reader to take in what the pipes hold (wait_drained), so that
  // stdout_text() and stderr_text() hold everything the program wrote from then on).
  [[nodiscard]] std::optional<ExitStatus> exit_status();
  // Waits for the end at most `timeout` (pidfd + poll), and not past the moment `stop_fd` (an
  // interrupt, -1: none) is readable.
  [[nodiscard]] std::optional<ExitStatus> wait(std::chrono::milliseconds timeout, int stop_fd = -1);
  // Sends `sig` to the main process; nothing once it has been reaped.
  void signal(int sig);
  // Sends SIGKILL to every process of the group (orphans included).
  void kill_group();
  // kill_group(), and SIGKILL to everything in its cgroup (daemons that left the group), whose
  // end it waits for (at most 2 s).
  void kill_all();
  // The processes of its cgroup outside its process group (a daemon it started): call once the
  // main process has ended. Empty without a cgroup (containment.hpp).
  [[nodiscard]] std::vector<pid_t> escaped() const;

  // Output, safe to call from any thread. The last kTailBytes of stdout / stderr.
  [[nodiscard]] std::string stdout_text() const;
  [[nodiscard]] std::string stderr_text() const;
  // stderr from the start of the line with its first sanitizer marker on, at most kReportBytes
  // (then "[... cut at 1 MiB]" ends it); "" when none was seen.
  [[nodiscard]] std::string sanitizer_report() const;
  // The first complete stdout lines (without '\n'; see kEarlyLines), and a counter that grows
  // whenever one is added or stdout ends.
  [[nodiscard]] std::vector<std::string> early_lines() const;
  // Waits until the counter differs from `seen` or `timeout` passes; returns the counter.
  std::uint64_t wait_output(std::uint64_t seen, std::chrono::milliseconds timeout) const;
  // Waits until stdout and stderr reached EOF (every writer gone) or the reader has read
  // everything the pipes held when called (a child left behind may keep them open), at most
  // `timeout`; false when neither happened in time.
  bool wait_drained(std::chrono::milliseconds timeout) const;
  // True if a partial (unterminated) stdout line is pending.
  [[nodiscard]] bool partial_line() const;

  // From start to now, or to the moment the exit was seen.
  [[nodiscard]] std::chrono::milliseconds elapsed() const;

  struct Output;  // shared with the reader thread (process.cpp)

 private:
  Process(pid_t pid, net::Fd pidfd, std::shared_ptr<Output> output, std::optional<Cgroup> cgroup);
  void reset();
  // The one waitpid: true once the main process is reaped.
  bool reap();

  std::optional<Cgroup> cgroup_;  // declared first: removed after everything else ended
  pid_t pid_ = -1;
  net::Fd pidfd_;
  std::shared_ptr<Output> output_;
  std::jthread reader_;
  net::Fd stop_write_;  // closing it (or writing) wakes the reader to finish
  std::optional<ExitStatus> status_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point ended_;
};

}  // namespace sockspec::target
