// Lifecycle and observation steps: start-instance, stop, restart, expect-alive, expect-exit,
// expect-endpoint, census, expect-census.
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"
#include "harness/scenario/units.hpp"
#include "harness/target/readiness.hpp"

namespace sockspec::engine {

namespace step = scenario::step;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

std::string transport_name(scenario::Transport t) {
  return t == scenario::Transport::tcp ? "tcp" : "udp";
}

std::string census_text(const target::Census& c) {
  return fmt::format("{} fds, {} threads, {} children ({} zombies), {} ms CPU, {} resident", c.fds,
                     c.threads, c.children, c.zombies, c.cpu.count(), scenario::format_size(c.rss));
}

// A socket that holds a port the way another program would: bound on the family's loopback,
// no SO_REUSEADDR, and for TCP not listening (so a tcp-probe cannot mistake it for the target).
net::Result<net::Socket> hold_port(scenario::Transport transport, scenario::Family family) {
  const int af = family == scenario::Family::ipv6 ? AF_INET6 : AF_INET;
  net::Result<net::Socket> sock =
      transport == scenario::Transport::tcp ? net::Socket::tcp(af) : net::Socket::udp(af);
  if (!sock) return sock;
  net::Result<net::Endpoint> any = net::Endpoint::from_host(target::loopback_host(family), 0);
  if (!any) return any.error();
  if (net::Status s = sock->bind(*any); !s) return s.error();
  return sock;
}

}  // namespace

void Executor::exec(const Step& st, const step::StartInstance& k) {
  instance(st, scenario::kTarget);  // skips under --connect
  net::Result<target::Instance> started =
      target::Instance::start(*s_.env.spec.profile, s_.env.launch);
  if (!started && interrupt_seen(s_.env.stop_fd)) throw Interrupted();
  if (!started)
    fail(st, fmt::format("instance '{}' started and ready", k.as), started.error().message);
  s_.env.transcript.event(k.as, "started: " + started->command().to_string());
  const std::lock_guard lock(s_.env.mutex);
  s_.env.instances.insert_or_assign(k.as, std::move(started).value());
}

void Executor::exec(const Step& st, const step::Stop& k) {
  target::Instance& inst = instance(st, k.instance);
  const int sig = target::signal_number(k.signal);
  {
    const std::lock_guard lock(s_.env.mutex);
    s_.env.stopped.insert(k.instance);
  }
  inst.signal(sig);
  s_.env.transcript.event(k.instance, "sent " + target::signal_name(sig));
  const auto status = inst.wait(duration_cast<milliseconds>(k.within));
  if (!status && interrupt_seen(s_.env.stop_fd)) throw Interrupted();
  const std::string want =
      fmt::format("the process ends within {} of {}", scenario::format_duration(k.within),
                  target::signal_name(sig));
  if (!status) {
    fail(st, want, "it is still running", "stderr: " + inst.stderr_tail());
  }
  s_.env.transcript.event(k.instance, status->describe());
}

void Executor::exec(const Step& st, const step::Restart& k) {
  target::Instance& inst = instance(st, k.instance);
  target::LaunchVars launch = s_.env.launch;
  if (k.same_port && !inst.sockets().empty()) launch.port = inst.sockets().front().endpoint.port();
  if (!inst.exit_status()) {
    const target::Instance::Stopped stopped = inst.stop();
    s_.env.transcript.event(k.instance, "stopped: " + stopped.status.describe());
  }
  net::Result<target::Instance> started = target::Instance::start(*s_.env.spec.profile, launch);
  if (!started && interrupt_seen(s_.env.stop_fd)) throw Interrupted();
  if (!started) {
    fail(st,
         launch.port ? fmt::format("instance '{}' restarted on port {}", k.instance, *launch.port)
                     : fmt::format("instance '{}' restarted", k.instance),
         started.error().message);
  }
  s_.env.transcript.event(k.instance, "restarted: " + started->command().to_string());
  const std::lock_guard lock(s_.env.mutex);
  s_.env.stopped.erase(k.instance);
  s_.env.instances.insert_or_assign(k.instance, std::move(started).value());
}

void Executor::exec(const Step& st, const step::ExpectAlive& k) {
  target::Instance& inst = instance(st, k.instance);
  if (const auto status = inst.exit_status()) {
    fail(st, fmt::format("instance '{}' running", k.instance), status->describe(),
         "stderr: " + inst.stderr_tail());
  }
}

void Executor::exec(const Step& st, const step::ExpectExit& k) {
  target::Instance& inst = instance(st, k.instance);
  std::string want = k.signal ? fmt::format("killed by SIG{}", *k.signal)
                     : k.code ? fmt::format("exit with code {}", *k.code)
                              : std::string("exit");
  want += fmt::format(" within {}", scenario::format_duration(k.within));
  const auto status = inst.wait(duration_cast<milliseconds>(k.within));
  if (!status && interrupt_seen(s_.env.stop_fd)) throw Interrupted();
  if (!status) fail(st, want, "still running", "stderr: " + inst.stderr_tail());
  const bool ok = k.signal ? status->signal == target::signal_number(*k.signal)
                  : k.code ? status->signal == 0 && status->code == *k.code
                           : true;
  if (!ok) fail(st, want, status->describe(), "stderr: " + inst.stderr_tail());
}

void Executor::exec(const Step& st, const step::ExpectEndpoint& k) {
  target::Instance& inst = instance(st, k.instance);
  const auto& sockets = inst.sockets();
  if (sockets.empty()) fail(st, "endpoints reported by the target", "none");
  const auto bound = target::bound_sockets(inst.pid());
  if (!bound) fail(st, "the sockets /proc shows", bound.error().message);
  for (const target::BoundSocket& b : sockets) {
    const std::string name = transport_name(b.transport) + " " + b.endpoint.to_string();
    if (k.non_zero && b.endpoint.port() == 0) fail(st, "a non-zero port", name);
    // What it reported is what it holds (EPH-1): a program that prints a port it computed
    // itself is caught here.
    const bool held = std::any_of(bound->begin(), bound->end(), [&](const target::BoundSocket& p) {
      return p.transport == b.transport && p.endpoint.port() == b.endpoint.port();
    });
    if (!held) {
      std::string seen;
      for (const auto& p : *bound)
        seen += " " + transport_name(p.transport) + " " + p.endpoint.to_string();
      fail(st, fmt::format("the process to hold the {} it reported", name),
           "/proc shows:" + (seen.empty() ? std::string(" no socket") : seen));
    }
    if (k.on_asked_address && !s_.env.launch.wildcard) {
      // What it holds on that port is bound to the address it was asked for, not the wildcard.
      const std::string asked(target::loopback_host(s_.env.spec.family));
      for (const target::BoundSocket& p : *bound) {
        if (p.transport == b.transport && p.endpoint.port() == b.endpoint.port() &&
            p.endpoint.host() != asked) {
          fail(st,
               fmt::format("the {} socket bound to {} only, as asked", transport_name(b.transport),
                           asked),
               "/proc shows it bound to " + p.endpoint.to_string() +
                   (p.endpoint.is_wildcard() ? ": it serves every local address" : ""));
        }
      }
    }
    if (k.in_ephemeral_range) {
      const auto range = target::ephemeral_port_range();
      if (!range) fail(st, "the ephemeral port range", range.error().message);
      if (b.endpoint.port() < range->low || b.endpoint.port() > range->high) {
        fail(st, fmt::format("a port in the ephemeral range {}..{}", range->low, range->high),
             name);
      }
    }
  }
  if (k.distinct_from) {
    target::Instance& other = instance(st, *k.distinct_from);
    for (const auto& a : sockets) {
      for (const auto& b : other.sockets()) {
        if (a.transport == b.transport && a.endpoint.port() == b.endpoint.port()) {
          fail(st, fmt::format("ports distinct from instance '{}'", *k.distinct_from),
               fmt::format("both on {} port {}", transport_name(a.transport), a.endpoint.port()));
        }
      }
    }
  }
}

void Executor::exec(const Step& st, const step::ExpectStartFailure& k) {
  target::Instance& running = instance(st, scenario::kTarget);  // skips under --connect
  std::optional<net::Socket> held;
  std::uint16_t port = 0;
  std::string taken;
  if (k.port == step::TakenPort::target) {
    if (running.sockets().empty()) fail(st, "the target's port", "it reported none");
    port = running.sockets().front().endpoint.port();
    taken = "by the running target";
  } else {
    const scenario::Transport transport = s_.env.first_transport();
    net::Result<net::Socket> sock = hold_port(transport, s_.env.spec.family);
    if (!sock) fail(st, "a port held by the harness", sock.error().message);
    port = sock->local_endpoint().value().port();
    held = std::move(sock).value();
    taken = fmt::format("by a {} socket of the harness", transport_name(transport));
  }
  s_.env.transcript.event("target", fmt::format("port {} is taken {}", port, taken));
  target::LaunchVars launch = s_.env.launch;
  launch.port = port;
  target::Profile profile = *s_.env.spec.profile;
  profile.start_timeout = k.within;
  // A probe of the taken port would be answered by whoever holds it (the running target): only
  // /proc can tell whether the new process itself bound it.
  if (profile.ready == target::Readiness::tcp_probe ||
      profile.ready == target::Readiness::udp_probe)
    profile.ready = target::Readiness::proc;
  target::StartFailure why;
  const auto began = std::chrono::steady_clock::now();
  net::Result<target::Instance> started = target::Instance::start(profile, launch, &why);
  const bool timed_out = std::chrono::steady_clock::now() - began >= k.within;
  if (!started && interrupt_seen(s_.env.stop_fd)) throw Interrupted();
  const std::string want = fmt::format(
      "a start on port {} (taken {}) to exit non-zero within {} with a message naming the port",
      port, taken, scenario::format_duration(k.within));
  if (started) {
    std::string where;
    for (const auto& b : started->sockets())
      where += fmt::format(" {} {}", transport_name(b.transport), b.endpoint.to_string());
    fail(st, want, "it became ready on" + where + " (it shares the port, or took another one)");
  }
  std::string err = "stderr: " + (why.stderr_text.empty() ? "(nothing)" : why.stderr_text);
  if (!why.stdout_text.empty()) err += "; stdout: " + why.stdout_text;
  if (!why.exited) {
    // Running, yet not ready: silent until the deadline, or at once ready on another port than
    // the taken one (readiness says which).
    fail(st, want,
         timed_out ? fmt::format("still running after {}, never ready",
                                 scenario::format_duration(k.within))
                   : "still running; " + why.readiness,
         err);
  }
  if (why.exited->signal != 0 || why.exited->code <= 0) fail(st, want, why.exited->describe(), err);
  // The message may go to either stream: many servers log to stdout.
  if (why.stderr_text.find(std::to_string(port)) == std::string::npos &&
      why.stdout_text.find(std::to_string(port)) == std::string::npos) {
    fail(st, want, why.exited->describe() + ", but its message does not name the port", err);
  }
  s_.env.transcript.event("target",
                          "the start failed as it must: " + why.exited->describe() + "; " + err);
}

void Executor::exec(const Step& st, const step::Census& k) {
  target::Instance& inst = instance(st, k.instance);
  const auto census = target::take_census(target::server_process(inst.pid(), inst.sockets()));
  if (!census) fail(st, "a census of the target", census.error().message);
  s_.env.transcript.event(k.instance, fmt::format("census '{}': {}", k.as, census_text(*census)));
  const std::lock_guard lock(s_.env.mutex);
  s_.env.censuses.insert_or_assign(k.as, *census);
}

void Executor::exec(const Step& st, const step::ExpectCensus& k) {
  target::Instance& inst = instance(st, k.instance);
  target::Census base;
  {
    const std::lock_guard lock(s_.env.mutex);
    base = s_.env.censuses.at(k.baseline);  // the loader checked the name exists
  }
  const auto within = [](std::uint32_t now, std::uint32_t was, std::optional<std::uint32_t> limit) {
    return !limit || now <= was + *limit;
  };
  std::string want = "at most baseline";
  if (k.fds) want += fmt::format(" +{} fds", *k.fds);
  if (k.threads) want += fmt::format(" +{} threads", *k.threads);
  if (k.children) want += fmt::format(" +{} children", *k.children);
  if (k.cpu) want += fmt::format(" +{} CPU", scenario::format_duration(*k.cpu));
  if (k.rss) want += fmt::format(" +{} resident", scenario::format_size(*k.rss));
  want += fmt::format(" within {} (baseline: {})", scenario::format_duration(k.within),
                      census_text(base));
  const Clock::time_point deadline = Clock::now() + k.within;
  const pid_t server = target::server_process(inst.pid(), inst.sockets());
  for (;;) {
    const auto now = target::take_census(server);
    if (!now) fail(st, want, now.error().message);
    const bool cpu_ok = !k.cpu || now->cpu <= base.cpu + k.cpu.value();
    const bool rss_ok = !k.rss || now->rss <= base.rss + k.rss.value();
    if (within(now->fds, base.fds, k.fds) && within(now->threads, base.threads, k.threads) &&
        within(now->children, base.children, k.children) && cpu_ok && rss_ok) {
      return;
    }
    if (Clock::now() >= deadline) fail(st, want, census_text(*now));
    check_interrupted();
    std::this_thread::sleep_for(milliseconds(20));  // /proc has no change notification
  }
}

}  // namespace sockspec::engine
