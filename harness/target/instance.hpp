// A running target: one started program (a server under test, or a client the harness runs), in
// its own process group, with its stdout/stderr drained in the background; stopped, killed and
// reaped by its owner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/target/command.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

struct ExitStatus {
  int code = -1;   // exit code, or -1 when killed by a signal
  int signal = 0;  // the signal that ended it, or 0
  // "exited with code 3", "killed by SIGSEGV"
  [[nodiscard]] std::string describe() const;
  bool operator==(const ExitStatus&) const = default;
};

// A socket the server serves on, as readiness learnt it.
struct BoundSocket {
  scenario::Transport transport = scenario::Transport::tcp;
  net::Endpoint endpoint;
};

// The values a profile's argv is rendered with for one start.
struct LaunchVars {
  std::string bindir;                                // folder of the harness binary
  std::optional<std::string> service{};              // {service}
  std::vector<scenario::Transport> transports{};     // {transports}, {transport}
  scenario::Family family = scenario::Family::ipv4;  // {host}, {family}
  bool wildcard = false;  // {host} is the family's wildcard (0.0.0.0, ::), not its loopback
  std::optional<std::uint16_t> port{};   // a port to use instead of the profile's policy
  std::optional<std::string> connect{};  // client role: {connect}
  std::vector<std::string> args{};       // client role: {args}
  std::string stdin_data{};              // written to stdin, which is then closed
  // Readable once the run is interrupted (-1: never): the readiness wait, wait() and stop() end
  // at once, and a start then fails with "interrupted".
  int stop_fd = -1;
};

// Why a start failed, for steps that expect it to (EPH-4).
struct StartFailure {
  std::optional<ExitStatus> exited{};  // it ended on its own; empty: still running at the deadline
  std::string stderr_text{};
  std::string stdout_text{};  // many servers log to stdout (redis-server)
  std::string readiness{};    // why it was not ready: "not ready within 2s (...)", "it reported..."
};

class Process;  // the launcher's process handle (process.hpp)

// The {tmpdir} of one start: a folder of its own (mode 0700) under $TMPDIR or /tmp, removed with
// everything in it when the owner is destroyed, after the program it served has ended.
class PrivateDir {
 public:
  [[nodiscard]] static net::Result<PrivateDir> create();
  PrivateDir(PrivateDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  PrivateDir& operator=(PrivateDir&& other) noexcept;
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  ~PrivateDir();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  explicit PrivateDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Threads: an Instance is used by one thread at a time (the case's worker); stdout_text() and
// stderr_tail() may also be called from others. The program gets SIGKILL if the thread that
// called start() ends first (PR_SET_PDEATHSIG, process.hpp): start it from a thread that
// outlives the Instance, as the engine's workers do.
class Instance {
 public:
  // Renders the command, starts it and, for a server, waits for readiness, at most the
  // profile's start-timeout. Errors say what happened, with the command line and stderr tail:
  // "not ready within 5s: exited with code 1; stderr: ...".
  // With `failure`, a server that does not become ready also says how it ended there.
  [[nodiscard]] static net::Result<Instance> start(const Profile& profile, const LaunchVars& vars,
                                                   StartFailure* failure = nullptr);
  Instance(Instance&&) noexcept;
  Instance& operator=(Instance&&) noexcept;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  // SIGKILL to the whole process group, then reaps (never blocks for long).
  ~Instance();

  [[nodiscard]] pid_t pid() const;
  [[nodiscard]] const TargetCommand& command() const;
  // The sockets readiness found (server role), in the order reported.
  [[nodiscard]] const std::vector<BoundSocket>& sockets() const;
  // The first socket of this transport and family, if any.
  [[nodiscard]] std::optional<net::Endpoint> endpoint(scenario::Transport transport,
                                                      scenario::Family family) const;

  // The exit status once the program has ended (non-blocking).
  [[nodiscard]] std::optional<ExitStatus> exit_status();
  // Waits for the end at most `timeout`, or until the run is interrupted (LaunchVars::stop_fd).
  [[nodiscard]] std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
  // Sends `sig` to the program (its main process only).
  void signal(int sig);
  // The profile's stop: its signal, then SIGKILL to the group after its timeout; reaps. Returns
  // how it ended and whether it ended within the timeout (false: it had to be killed).
  struct Stopped {
    ExitStatus status;
    bool in_time = true;
    std::chrono::milliseconds took{0};
  };
  Stopped stop();
  // Ends the program at once (SIGKILL to its group, reaped) and then everything it started:
  // returns what was still running outside its group 2 s later (a daemon it left behind, not a
  // per-connection process that ends once its client has gone), as
  // "pid 1234 (mydaemon) was still running and held 127.0.0.1:40123 listening (tcp)". Empty
  // without a cgroup (containment.hpp): the process group is then all that is ended.
  std::vector<std::string> end();

  // Everything printed so far, bounded: the last 64 KiB of each (a flooding program cannot
  // exhaust memory, nor block on a full pipe).
  [[nodiscard]] std::string stdout_text() const;
  [[nodiscard]] std::string stderr_tail(std::size_t max_bytes = 2048) const;
  // A sanitizer's whole report on stderr, bounded (Process::sanitizer_report); "" when none.
  [[nodiscard]] std::string sanitizer_report() const;
  // From start to now, or to the exit once it is known.
  [[nodiscard]] std::chrono::milliseconds elapsed() const;

 private:
  Instance(std::optional<PrivateDir> tmpdir, std::unique_ptr<Process> process,
           TargetCommand command, std::vector<BoundSocket> sockets, StopSpec stop, int stop_fd);
  std::optional<PrivateDir> tmpdir_;  // declared first: removed after the process has ended
  std::unique_ptr<Process> process_;
  TargetCommand command_;
  std::vector<BoundSocket> sockets_;
  StopSpec stop_;
  int stop_fd_ = -1;
};

// Parses a signal name ("TERM", "SIGTERM", "KILL"); 0 when unknown. And the inverse ("SIGTERM").
[[nodiscard]] int signal_number(std::string_view name);
[[nodiscard]] std::string signal_name(int sig);

}  // namespace sockspec::target
