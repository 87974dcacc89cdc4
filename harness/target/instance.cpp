// Instance: a profile rendered, started and waited for; stopped by the profile's rules.
#include "harness/target/instance.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "harness/target/leftovers.hpp"
#include "harness/target/process.hpp"
#include "harness/target/readiness.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::target {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kPickAttempts = 20;
constexpr milliseconds kReapAfterKill{2000};
// How long what a program started outside its group may take to end on its own after the case:
// sshd's and vsftpd's per-connection processes call setsid() and end once their client has gone,
// which the case's end has just done. Only what still runs after this was left behind.
constexpr milliseconds kLeftoverGrace{2000};
constexpr milliseconds kLeftoverPoll{10};

int address_family(scenario::Family f) {
  return f == scenario::Family::ipv6 ? AF_INET6 : AF_INET;
}

// A port free for both TCP and UDP on the family's loopback: the kernel picks one for TCP, UDP
// must bind it too. Both sockets are closed before the program binds it (a small race that a
// retry of the case, not of this function, would cover).
net::Result<std::uint16_t> pick_port(scenario::Family family) {
  net::Error last{"no attempt"};
  for (int attempt = 0; attempt < kPickAttempts; ++attempt) {
    net::Result<net::Endpoint> any = net::Endpoint::from_host(loopback_host(family), 0);
    if (!any) return any.error();
    net::Result<net::Socket> tcp = net::Socket::tcp(address_family(family));
    if (!tcp) return tcp.error();
    if (net::Status s = tcp->bind(*any); !s) return s.error();
    net::Result<net::Endpoint> bound = tcp->local_endpoint();
    if (!bound) return bound.error();
    net::Result<net::Socket> udp = net::Socket::udp(address_family(family));
    if (!udp) return udp.error();
    if (net::Status s = udp->bind(*bound); s)
      return bound->port();
    else
      last = s.error();
  }
  return net::Error{fmt::format("cannot find a port free for TCP and UDP: {}", last.message)};
}

std::string join_transports(const std::vector<scenario::Transport>& ts) {
  std::string out;
  for (const auto t : ts)
    out +=
        fmt::format("{}{}", out.empty() ? "" : ",", t == scenario::Transport::tcp ? "tcp" : "udp");
  return out;
}

// The last few lines of stderr on one line, for error messages.
std::string stderr_summary(const std::string& text) {
  std::string tail = text.size() > 1000 ? text.substr(text.size() - 1000) : text;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  if (tail.empty()) return "(nothing)";
  std::vector<std::string> lines;
  for (std::size_t i = 0; i <= tail.size();) {
    const std::size_t nl = std::min(tail.find('\n', i), tail.size());
    lines.push_back(tail.substr(i, nl - i));
    i = nl + 1;
  }
  if (lines.size() > 5) lines.erase(lines.begin(), lines.end() - 5);
  std::string out;
  for (const auto& l : lines) out += fmt::format("{}{}", out.empty() ? "" : " | ", l);
  return out;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) return fmt::format("killed by {}", signal_name(signal));
  if (code >= 0) return fmt::format("exited with code {}", code);
  return "ended (status unknown: reaped elsewhere)";
}

int signal_number(std::string_view name) {
  if (name.rfind("SIG", 0) == 0) name.remove_prefix(3);
  for (int sig = 1; sig < NSIG; ++sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    if (abbrev != nullptr && name == abbrev) return sig;
  }
  return 0;
}

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

net::Result<Instance> Instance::start(const Profile& profile, const LaunchVars& vars,
                                      StartFailure* failure) {
  scenario::TemplateVars tv;
  tv["bindir"] = vars.bindir;
  if (vars.service) tv["service"] = *vars.service;
  if (!vars.transports.empty()) {
    tv["transports"] = join_transports(vars.transports);
    tv["transport"] = join_transports({vars.transports.front()});
  }
  const bool v6 = vars.family == scenario::Family::ipv6;
  tv["host"] =
      vars.wildcard ? std::string(v6 ? "::" : "0.0.0.0") : std::string(loopback_host(vars.family));
  tv["family"] = vars.family == scenario::Family::ipv6 ? "ipv6" : "ipv4";
  if (vars.connect) tv["connect"] = *vars.connect;
  std::uint16_t port = 0;
  if (vars.port) {
    port = *vars.port;
  } else if (profile.port == PortPolicy::fixed) {
    port = profile.fixed_port;
  } else if (profile.port == PortPolicy::pick) {
    net::Result<std::uint16_t> picked = pick_port(vars.family);
    if (!picked)
      return net::Error{fmt::format("target '{}': {}", profile.name, picked.error().message)};
    port = *picked;
  }
  tv["port"] = std::to_string(port);
  std::optional<PrivateDir> tmpdir;
  const bool wants_tmpdir =
      std::any_of(profile.argv.begin(), profile.argv.end(),
                  [](const std::string& a) { return uses_placeholder(a, "tmpdir"); }) ||
      std::any_of(profile.env.begin(), profile.env.end(),
                  [](const auto& e) { return uses_placeholder(e.second, "tmpdir"); });
  if (wants_tmpdir) {
    net::Result<PrivateDir> dir = PrivateDir::create();
    if (!dir) return net::Error{fmt::format("target '{}': {}", profile.name, dir.error().message)};
    tv["tmpdir"] = dir->path();
    tmpdir.emplace(std::move(dir).value());
  }

  // "{args}" is a list: rendered words around it, the args themselves verbatim.
  std::vector<std::string> argv = profile.argv;
  const auto at = std::find(argv.begin(), argv.end(), "{args}");
  const auto args_index = static_cast<std::size_t>(at - argv.begin());
  if (at != argv.end()) argv.erase(at);
  net::Result<TargetCommand> command = render_command(argv, profile.env, tv);
  if (!command)
    return net::Error{fmt::format("target '{}': {}", profile.name, command.error().message)};
  if (args_index < profile.argv.size()) {
    command->argv.insert(command->argv.begin() + static_cast<std::ptrdiff_t>(args_index),
                         vars.args.begin(), vars.args.end());
  } else if (profile.role == scenario::Role::client) {
    command->argv.insert(command->argv.end(), vars.args.begin(), vars.args.end());
  }

  const auto deadline = Clock::now() + profile.start_timeout;
  const auto fail = [&](std::string_view what, const std::string& err) {
    return net::Error{fmt::format("target '{}': {}; command: {}; stderr: {}", profile.name, what,
                                  command->to_string(), stderr_summary(err))};
  };
  net::Result<Process> process = Process::start(*command, vars.stdin_data);
  if (!process) return fail(process.error().message, "");
  auto owned = std::make_unique<Process>(std::move(process).value());
  std::vector<BoundSocket> sockets;
  if (profile.role == scenario::Role::server) {
    ReadinessCheck check{profile.ready, vars.family,   vars.transports,
                         port,          profile.probe, profile.start_timeout};
    check.stop_fd = vars.stop_fd;
    net::Result<std::vector<BoundSocket>> ready = wait_ready(*owned, check, deadline);
    if (!ready) {
      const std::optional<ExitStatus> own_end = owned->exit_status();
      owned->kill_all();
      (void)owned->wait(kReapAfterKill);
      (void)owned->wait_drained(milliseconds(200));  // the last words on stderr
      if (failure != nullptr)
        *failure = StartFailure{own_end, owned->stderr_text(), owned->stdout_text(),
                                ready.error().message};
      return fail(ready.error().message, owned->stderr_text());
    }
    sockets = std::move(ready).value();
  }
  return Instance(std::move(tmpdir), std::move(owned), std::move(command).value(),
                  std::move(sockets), profile.stop, vars.stop_fd);
}

Instance::Instance(std::optional<PrivateDir> tmpdir, std::unique_ptr<Process> process,
                   TargetCommand command, std::vector<BoundSocket> sockets, StopSpec stop,
                   int stop_fd)
    : tmpdir_(std::move(tmpdir)),
      process_(std::move(process)),
      command_(std::move(command)),
      sockets_(std::move(sockets)),
      stop_(std::move(stop)),
      stop_fd_(stop_fd) {}

Instance::Instance(Instance&&) noexcept = default;
Instance& Instance::operator=(Instance&&) noexcept = default;
Instance::~Instance() = default;  // ~Process kills the group and reaps

net::Result<PrivateDir> PrivateDir::create() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/sockspec-target.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return net::errno_error(errno,
                            fmt::format("create a private folder for {{tmpdir}} ({})", pattern));
  }
  return PrivateDir(std::move(pattern));
}

PrivateDir& PrivateDir::operator=(PrivateDir&& other) noexcept {
  if (this != &other) {
    PrivateDir gone(std::move(*this));
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

PrivateDir::~PrivateDir() {
  if (path_.empty()) return;
  std::error_code ec;  // a folder the program made unremovable stays; nothing to report it to
  std::filesystem::remove_all(path_, ec);
}

pid_t Instance::pid() const {
  return process_->pid();
}
const TargetCommand& Instance::command() const {
  return command_;
}
const std::vector<BoundSocket>& Instance::sockets() const {
  return sockets_;
}

std::optional<net::Endpoint> Instance::endpoint(scenario::Transport transport,
                                                scenario::Family family) const {
  for (const BoundSocket& b : sockets_) {
    if (b.transport == transport && b.endpoint.is_ipv6() == (family == scenario::Family::ipv6))
      return b.endpoint;
  }
  return std::nullopt;
}

std::optional<ExitStatus> Instance::exit_status() {
  return process_->exit_status();
}
std::optional<ExitStatus> Instance::wait(milliseconds timeout) {
  return process_->wait(timeout, stop_fd_);
}
void Instance::signal(int sig) {
  process_->signal(sig);
}

Instance::Stopped Instance::stop() {
  Stopped out;
  const auto began = Clock::now();
  if (!process_->exit_status()) {
    const int sig = signal_number(stop_.signal);
    process_->signal(sig != 0 ? sig : SIGTERM);
    const auto limit = std::chrono::ceil<milliseconds>(stop_.timeout);
    out.in_time = process_->wait(limit, stop_fd_).has_value();
  }
  out.took = std::chrono::duration_cast<milliseconds>(Clock::now() - began);
  process_->kill_all();  // also orphans and daemons the program left behind
  out.status = process_->wait(kReapAfterKill).value_or(ExitStatus{});
  return out;
}

std::vector<std::string> Instance::end() {
  process_->kill_group();
  (void)process_->wait(kReapAfterKill);
  std::vector<pid_t> escaped = process_->escaped();
  const auto grace_ends = Clock::now() + kLeftoverGrace;
  while (!escaped.empty() && Clock::now() < grace_ends) {
    pollfd interrupt{stop_fd_, POLLIN, 0};
    if (::poll(&interrupt, stop_fd_ >= 0 ? 1 : 0, static_cast<int>(kLeftoverPoll.count())) > 0) {
      break;  // interrupted: judge now, end everything below
    }
    escaped = process_->escaped();
  }
  std::vector<std::string> found;
  for (const pid_t pid : escaped) {
    const Leftover leftover = look_at(pid);
    if (!leftover.name.empty()) found.push_back(describe(leftover));
  }
  process_->kill_all();
  return found;
}

std::string Instance::stdout_text() const {
  return process_->stdout_text();
}
std::string Instance::stderr_tail(std::size_t max_bytes) const {
  std::string all = process_->stderr_text();
  return all.size() <= max_bytes ? all : all.substr(all.size() - max_bytes);
}
std::string Instance::sanitizer_report() const {
  return process_->sanitizer_report();
}
std::chrono::milliseconds Instance::elapsed() const {
  return process_->elapsed();
}

}  // namespace sockspec::target
