// The server under fuzz: a fresh instance started from a profile (restartable after a death or a
// hang) or a server already running at HOST:PORT (adopted: never restarted, never stopped).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "harness/scenario/model.hpp"
#include "harness/target/instance.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

struct LiveTargetSpec {
  std::optional<target::Profile> profile{};  // started by us; empty: `connect` is adopted
  target::LaunchVars vars{};                 // how the profile is rendered (bindir, service...)
  std::optional<net::Endpoint> connect{};    // a running server (--connect)
  scenario::Transport transport = scenario::Transport::tcp;
  scenario::Family family = scenario::Family::ipv4;
};

// Threads: one thread uses a LiveTarget, and it must outlive it (PR_SET_PDEATHSIG: a started
// program dies with the thread that started it, see instance.hpp). The destructor stops the
// program the profile's way and reaps it: no process is ever left behind.
class LiveTarget {
 public:
  // Starts the profile (waits for readiness) or adopts `connect`. Errors say why the target
  // could not start: "target 'x': not ready within 5s: exited with code 1; ...", or that it
  // serves no socket of the transport and family asked for.
  [[nodiscard]] static net::Result<LiveTarget> start(LiveTargetSpec spec);
  LiveTarget(LiveTarget&&) noexcept = default;
  LiveTarget& operator=(LiveTarget&&) noexcept = default;
  LiveTarget(const LiveTarget&) = delete;
  LiveTarget& operator=(const LiveTarget&) = delete;
  ~LiveTarget();

  // Where to send inputs (changes on restart when the port is ephemeral).
  [[nodiscard]] const net::Endpoint& endpoint() const { return endpoint_; }
  [[nodiscard]] bool adopted() const { return !spec_.profile.has_value(); }
  // The profile's name, or "connect HOST:PORT".
  [[nodiscard]] const std::string& name() const { return name_; }
  // The command line of the running instance ("" when adopted), for reports.
  [[nodiscard]] std::string command_line() const;
  // The running instance's process id (-1 when adopted or stopped).
  [[nodiscard]] pid_t pid() const { return instance_ ? instance_->pid() : -1; }

  // How the program ended, waiting at most `grace` for an end in progress (a crash closes the
  // sockets a moment before the process can be reaped). nullopt: still running, or adopted
  // (whose end cannot be seen).
  [[nodiscard]] std::optional<target::ExitStatus> ended(
      std::chrono::milliseconds grace = std::chrono::milliseconds(0));
  // The last lines of its stderr (ASan's report after a crash); "" when adopted.
  [[nodiscard]] std::string stderr_tail(std::size_t max_bytes = 4096) const;
  // The whole sanitizer report on its stderr (target::Process::sanitizer_report); "" when none
  // or adopted.
  [[nodiscard]] std::string sanitizer_report() const;

  // Kills the current instance's whole process group (a hung program gets no grace) and starts
  // a fresh one. Error for an adopted target or when the fresh start fails.
  [[nodiscard]] net::Status restart();
  // Fresh starts so far (restart() calls that succeeded).
  [[nodiscard]] std::size_t restarts() const { return restarts_; }
  // The profile's stop (signal, then SIGKILL to the group after its timeout); idempotent.
  void stop();

 private:
  explicit LiveTarget(LiveTargetSpec spec);
  [[nodiscard]] net::Status launch();

  LiveTargetSpec spec_;
  std::string name_;
  std::unique_ptr<target::Instance> instance_;  // null when adopted or stopped
  net::Endpoint endpoint_;
  std::size_t restarts_ = 0;
};

}  // namespace sockspec::blackbox
