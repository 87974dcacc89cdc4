// The exchange check before a run (see exchange_check.hpp).
#include "harness/engine/exchange_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "harness/engine/case_runner.hpp"

namespace sockspec::engine {
namespace {

namespace step = scenario::step;
using scenario::Transport;

// The smallest case that uses a target's default exchange over `t`.
scenario::Scenario probe_scenario(const target::Profile& profile, Transport t) {
  scenario::Scenario s;
  s.where = profile.where;
  s.id = "exchange-check";
  s.summary = "the profile's default exchange works";
  s.needs = {"exchange"};
  s.transport = {t};
  if (t == Transport::tcp) {
    s.steps.push_back({profile.where, step::Connect{}});
  } else {
    s.steps.push_back({profile.where, step::Bind{}});
  }
  s.steps.push_back({profile.where, step::Exchange{}});
  return s;
}

}  // namespace

std::vector<std::string> check_exchanges(std::vector<PlannedCase>& cases, const std::string& bindir,
                                         int stop_fd) {
  // Per target: the transports its runnable cases talk over, and the family of the first.
  struct Use {
    std::vector<Transport> transports;
    scenario::Family family = scenario::Family::ipv4;
    std::optional<net::Endpoint> connect;
  };
  std::map<const target::Profile*, Use> uses;
  std::vector<const target::Profile*> order;
  for (const PlannedCase& c : cases) {
    if (c.skip || c.error || c.spec.profile == nullptr ||
        !scenario::uses_exchanges(c.spec.scenario->steps)) {
      continue;
    }
    auto [it, fresh] = uses.try_emplace(c.spec.profile, Use{{}, c.spec.family, c.spec.connect});
    if (fresh) order.push_back(c.spec.profile);
    for (Transport t : c.spec.scenario->transport) {
      if (std::find(it->second.transports.begin(), it->second.transports.end(), t) ==
          it->second.transports.end()) {
        it->second.transports.push_back(t);
      }
    }
  }
  std::vector<std::string> problems;
  for (const target::Profile* profile : order) {
    const Use& use = uses.at(profile);
    for (Transport t : use.transports) {
      const scenario::Scenario probe = probe_scenario(*profile, t);
      const CaseRun run =
          run_case(CaseSpec{&probe, profile, use.connect, use.family, bindir}, stop_fd, nullptr);
      if (run.interrupted) return problems;
      const target::TransportExchanges* x = profile->exchanges.of(t);
      if (run.result.verdict != Verdict::fail || !run.result.failure || x == nullptr) continue;
      const target::ExchangeSpec& e = x->requests.front();
      const Failure& f = *run.result.failure;
      // Only a reply that came and does not match is the profile's problem; a refused connect,
      // silence or a death is the server's, for the cases to find.
      const bool got_nothing = f.observed.starts_with("only 0 of") ||
                               f.observed.starts_with("no datagram") || !f.detail.empty();
      if (f.step != "exchange" || got_nothing) continue;
      const std::string message = fmt::format(
          "target '{}': its exchange '{}' over {} does not work ({}:{}:{}): expected {}; "
          "observed {}",
          profile->name, e.name, t == Transport::tcp ? "tcp" : "udp", e.where.file, e.where.line,
          e.where.column, f.expected, f.observed);
      problems.push_back(message);
      for (PlannedCase& c : cases) {
        const auto& tr = c.spec.scenario->transport;
        if (c.spec.profile == profile && !c.skip && !c.error &&
            scenario::uses_exchanges(c.spec.scenario->steps) &&
            std::find(tr.begin(), tr.end(), t) != tr.end()) {
          c.error = fmt::format(
              "not run: target '{}': its exchange '{}' over {} does not work "
              "(said once, before the run)",
              profile->name, e.name, t == Transport::tcp ? "tcp" : "udp");
        }
      }
    }
  }
  return problems;
}

}  // namespace sockspec::engine
