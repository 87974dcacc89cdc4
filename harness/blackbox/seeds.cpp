// Seeds from the scenario pack: the bytes its server-role scenarios send to one service.
#include "harness/blackbox/seeds.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "harness/scenario/data.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::blackbox {
namespace {

using scenario::Scenario;
using scenario::Step;
using scenario::Transport;

constexpr std::string_view kLineTokens[] = {"PING", "ECHO", "LEN", "WHOAMI", "TIME",
                                            "QUIT", " ",    "\r",  "\n",     "\r\n"};

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Whether `s` is about `service` over `transport` as a server.
bool applies(const Scenario& s, Transport transport, std::string_view service) {
  if (s.role != scenario::Role::server) return false;
  if (std::find(s.transport.begin(), s.transport.end(), transport) == s.transport.end()) {
    return false;
  }
  if (contains(s.needs, service)) return true;
  const bool names_a_service =
      std::any_of(std::begin(proto::kServiceNames), std::end(proto::kServiceNames),
                  [&](std::string_view n) { return contains(s.needs, n); });
  return !names_a_service && contains(s.needs, transport == Transport::tcp ? "tcp" : "udp");
}

// Plausible values for every placeholder a scenario may use.
scenario::TemplateVars plausible_vars(const Scenario& s) {
  return {{"client", "0"},
          {"seq", "0"},
          {"seed", std::to_string(s.seed)},
          {"peer", "127.0.0.1:40000"},
          {"target.host", "127.0.0.1"},
          {"target.port", "7"},
          {"target.addr", "127.0.0.1:7"},
          {"listen.host", "127.0.0.1"},
          {"listen.port", "7"},
          {"listen.addr", "127.0.0.1:7"}};
}

struct Collector {
  Transport transport;
  std::size_t max_size;
  const scenario::TemplateVars& vars;
  Seeds& out;
  std::set<std::string, std::less<>>& seen;

  void add(const scenario::DataSpec& spec) {
    scenario::DataSpec cut = spec;
    // A pattern may be megabytes: generate only what is kept.
    if (cut.kind == scenario::DataKind::pattern) {
      cut.pattern.size = std::min<std::uint64_t>(cut.pattern.size, max_size);
    }
    net::Result<std::string> bytes = scenario::materialise(cut, vars);
    if (!bytes || bytes->empty()) return;
    if (bytes->size() > max_size) bytes->resize(max_size);
    if (seen.insert(*bytes).second) out.inputs.push_back(std::move(bytes).value());
  }

  void walk(const std::vector<Step>& steps) {
    for (const Step& st : steps) {
      if (const auto* send = std::get_if<scenario::step::Send>(&st.kind)) {
        if (transport == Transport::tcp) add(send->data);
      } else if (const auto* send_to = std::get_if<scenario::step::SendTo>(&st.kind)) {
        if (transport == Transport::udp) add(send_to->data);
      } else if (const auto* repeat = std::get_if<scenario::step::Repeat>(&st.kind)) {
        walk(repeat->steps);
      } else if (const auto* parallel = std::get_if<scenario::step::Parallel>(&st.kind)) {
        walk(parallel->steps);
      }
    }
  }
};

}  // namespace

Seeds seeds_from_scenarios(std::span<const scenario::Scenario> pack, scenario::Transport transport,
                           std::string_view service, std::size_t max_size) {
  Seeds seeds;
  if (max_size == 0) return seeds;
  std::set<std::string, std::less<>> seen;
  for (const Scenario& s : pack) {
    if (!applies(s, transport, service)) continue;
    const scenario::TemplateVars vars = plausible_vars(s);
    Collector{transport, max_size, vars, seeds, seen}.walk(s.steps);
  }
  if (service == "line") {
    for (const std::string_view token : kLineTokens) seeds.tokens.entries.emplace_back(token);
  }
  return seeds;
}

}  // namespace sockspec::blackbox
