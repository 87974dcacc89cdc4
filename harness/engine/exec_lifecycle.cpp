// Lifecycle and observation steps: start-instance, stop, restart, expect-alive, expect-exit,
// expect-endpoint, census, expect-census.
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"
#include "harness/scenario/units.hpp"

namespace sockspec::engine {

namespace step = scenario::step;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

std::string transport_name(scenario::Transport t) {
  return t == scenario::Transport::tcp ? "tcp" : "udp";
}

std::string census_text(const target::Census& c) {
  return fmt::format("{} fds, {} threads, {} children ({} zombies)", c.fds, c.threads, c.children,
                     c.zombies);
}

}  // namespace

void Executor::exec(const Step& st, const step::StartInstance& k) {
  instance(st, scenario::kTarget);  // skips under --connect
  net::Result<target::Instance> started =
      target::Instance::start(*s_.env.spec.profile, s_.env.launch);
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

void Executor::exec(const Step& st, const step::Census& k) {
  target::Instance& inst = instance(st, k.instance);
  const auto census = target::take_census(inst.pid());
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
  want += fmt::format(" within {} (baseline: {})", scenario::format_duration(k.within),
                      census_text(base));
  const Clock::time_point deadline = Clock::now() + k.within;
  for (;;) {
    const auto now = target::take_census(inst.pid());
    if (!now) fail(st, want, now.error().message);
    if (within(now->fds, base.fds, k.fds) && within(now->threads, base.threads, k.threads) &&
        within(now->children, base.children, k.children)) {
      return;
    }
    if (Clock::now() >= deadline) fail(st, want, census_text(*now));
    check_interrupted();
    std::this_thread::sleep_for(milliseconds(20));  // /proc has no change notification
  }
}

}  // namespace sockspec::engine
