// Step dispatch, repeat and parallel, and the helpers every step kind uses (see executor.hpp).
#include "harness/engine/executor.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>

#include <exception>
#include <thread>

#include "harness/engine/barrier.hpp"
#include "harness/engine/step_failure.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine {

using scenario::Family;
using scenario::Transport;
namespace step = scenario::step;

void Executor::run(const std::vector<Step>& steps) {
  for (const Step& st : steps) run_step(st);
}

void Executor::run_step(const Step& st) {
  check_interrupted();
  std::visit([&](const auto& k) { exec(st, k); }, st.kind);
}

void Executor::exec(const Step&, const step::Repeat& k) {
  // {seq} is the innermost repeat's count; an outer one gets its value back afterwards.
  const auto outer = s_.vars.find("seq");
  const std::optional<std::string> saved =
      outer != s_.vars.end() ? std::optional(outer->second) : std::nullopt;
  for (std::uint32_t i = 0; i < k.count; ++i) {
    s_.vars["seq"] = std::to_string(i);
    run(k.steps);
  }
  if (saved) {
    s_.vars["seq"] = *saved;
  } else {
    s_.vars.erase("seq");
  }
}

void Executor::exec(const Step& st, const step::Parallel& k) {
  const std::uint32_t count = clients_at_once(k);
  ClientBarrier barrier(count);
  std::vector<std::exception_ptr> errors(count);
  {
    std::vector<std::jthread> clients;
    clients.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      clients.emplace_back([this, &k, &errors, &barrier, i] {
        try {
          Scope scope(s_.env, fmt::format("{}client {}/", s_.prefix, i),
                      scenario::client_seed(s_.seed, i));
          scope.vars = s_.vars;
          scope.vars["client"] = std::to_string(i);
          scope.vars["seed"] = std::to_string(scope.seed);
          scope.barrier = &barrier;
          scope.client = i;
          Executor(scope).run(k.steps);
          barrier.leave(i, false);
        } catch (...) {
          errors[i] = std::current_exception();
          barrier.leave(i, true);  // releases the others waiting at a barrier
        }
      });
    }
  }  // joins every client: each step of theirs, a barrier's wait included, is bounded
  rethrow_first_failure(errors, barrier);
  (void)st;
}

void Executor::fail(const Step& st, std::string expected, std::string observed,
                    std::string detail) const {
  s_.env.transcript.event(s_.prefix.empty() ? "" : s_.prefix.substr(0, s_.prefix.size() - 1),
                          fmt::format("{} failed: {}", scenario::step_name(st.kind), observed));
  throw StepFailure(Failure{st.where, std::string(scenario::step_name(st.kind)),
                            std::move(expected), std::move(observed), std::move(detail)});
}

void Executor::check_interrupted() const {
  if (s_.env.stop_fd < 0) return;
  const net::WaitResult w = net::wait_for(s_.env.stop_fd, POLLIN, -1, std::chrono::milliseconds(0));
  if (w.outcome == net::WaitOutcome::kReady) throw Interrupted();
}

int Executor::family_af(const std::optional<Family>& family) const {
  return family.value_or(s_.env.spec.family) == Family::ipv6 ? AF_INET6 : AF_INET;
}

net::Endpoint Executor::target_endpoint(const Step& st, Transport transport) const {
  const CaseSpec& spec = s_.env.spec;
  if (spec.connect) return *spec.connect;
  const std::lock_guard lock(s_.env.mutex);
  const auto it = s_.env.instances.find(scenario::kTarget);
  if (it != s_.env.instances.end()) {
    if (auto e = it->second.endpoint(transport, spec.family)) {
      // A server bound to the wildcard is reached on the family's loopback.
      if (e->is_wildcard()) {
        return *net::Endpoint::from_host(spec.family == Family::ipv6 ? "::1" : "127.0.0.1",
                                         e->port());
      }
      return *e;
    }
  }
  fail(st,
       fmt::format("the target to serve {} over {}", transport == Transport::tcp ? "tcp" : "udp",
                   spec.family == Family::ipv6 ? "IPv6" : "IPv4"),
       "no such socket was reported when it became ready");
}

target::Instance& Executor::instance(const Step& st, const std::string& name) const {
  if (s_.env.spec.connect) {
    throw StepSkipped(fmt::format("step '{}' needs a target the harness starts (--connect given)",
                                  scenario::step_name(st.kind)));
  }
  const std::lock_guard lock(s_.env.mutex);
  const auto it = s_.env.instances.find(name);
  if (it == s_.env.instances.end()) {
    fail(st, fmt::format("instance '{}' running", name), "it is not running");
  }
  return it->second;
}

scenario::TemplateVars Executor::vars(const std::string& on) const {
  scenario::TemplateVars v = s_.vars;
  v.try_emplace("seed", std::to_string(s_.seed));
  {
    const std::lock_guard lock(s_.env.mutex);
    v.insert(s_.env.listen_vars.begin(), s_.env.listen_vars.end());
  }
  const CaseSpec& spec = s_.env.spec;
  std::optional<net::Endpoint> target = spec.connect;
  if (!target) {
    const std::lock_guard lock(s_.env.mutex);
    const auto it = s_.env.instances.find(scenario::kTarget);
    if (it != s_.env.instances.end() && !it->second.sockets().empty()) {
      target = it->second.endpoint(s_.env.first_transport(), spec.family);
      if (!target) target = it->second.sockets().front().endpoint;
    }
  }
  if (target && target->is_wildcard()) {
    target =
        net::Endpoint::from_host(spec.family == Family::ipv6 ? "::1" : "127.0.0.1", target->port())
            .value();
  }
  if (target) {
    v["target.host"] = target->host();
    v["target.port"] = std::to_string(target->port());
    v["target.addr"] = target->to_string();
  }
  if (!on.empty()) {
    if (const auto t = s_.tcp.find(on); t != s_.tcp.end()) v["peer"] = t->second.local;
    if (const auto u = s_.udp.find(on); u != s_.udp.end()) v["peer"] = u->second.local;
  }
  return v;
}

std::string Executor::render(const Step& st, const std::string& text,
                             const scenario::TemplateVars& v) const {
  net::Result<std::string> r = scenario::render(text, v);
  if (!r) fail(st, "a template whose placeholders all have values here", r.error().message);
  return std::move(r).value();
}

std::string Executor::bytes_of(const Step& st, const scenario::DataSpec& data,
                               const scenario::TemplateVars& v) const {
  net::Result<std::string> r = scenario::materialise(data, v);
  if (!r) fail(st, "data the harness can build", r.error().message);
  return std::move(r).value();
}

Expected Executor::expected_of(const Step& st, const scenario::Match& match,
                               const std::string& sent, const scenario::TemplateVars& v) const {
  Expected e;
  std::visit(
      [&](const auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, scenario::DataSpec>) {
          e.bytes = bytes_of(st, m, v);
        } else if constexpr (std::is_same_v<M, scenario::Regex>) {
          e.kind = Expected::Kind::regex;
          e.regex = render(st, m.regex, v);
        } else if constexpr (std::is_same_v<M, scenario::Length>) {
          e.kind = Expected::Kind::length;
          e.length = m.length;
          e.length_max = m.max.value_or(0);
        } else {
          e.bytes = sent;
        }
      },
      match);
  return e;
}

TcpPeer& Executor::tcp(const Step& st, const std::string& name) {
  const auto it = s_.tcp.find(name);
  if (it == s_.tcp.end()) fail(st, fmt::format("TCP endpoint '{}' open", name), "it is not open");
  return it->second;
}

UdpPeer& Executor::udp(const Step& st, const std::string& name) {
  const auto it = s_.udp.find(name);
  if (it == s_.udp.end()) fail(st, fmt::format("UDP endpoint '{}' open", name), "it is not open");
  return it->second;
}

Transport CaseEnv::first_transport() const {
  const auto& t = spec.scenario->transport;
  return t.empty() ? Transport::tcp : t.front();
}

}  // namespace sockspec::engine
