// Cross-checks of a loaded scenario (see checks.hpp).
#include "harness/scenario/checks.hpp"

#include <fmt/format.h>

#include <set>

#include "harness/scenario/requirements.hpp"

namespace sockspec::scenario {
namespace {

// Names visible at a step: endpoints, instances and censuses created by earlier steps. Names made
// inside repeat or parallel stay inside (each client has its own sockets).
struct Scope {
  std::set<std::string, std::less<>> endpoints;
  std::set<std::string, std::less<>> udp;  // the endpoints that are UDP sockets
  std::set<std::string, std::less<>> instances{kTarget};
  std::set<std::string, std::less<>> censuses;
  bool in_parallel = false;  // a barrier waits for the clients of the innermost parallel block
};

enum class Needs { any, tcp, udp, server_role, client_role };

struct Walker {
  YamlReader& r;
  const Scenario& s;

  bool has(Transport t) const {
    return std::find(s.transport.begin(), s.transport.end(), t) != s.transport.end();
  }

  void require(const Step& st, Needs n) {
    const std::string_view kind = step_name(st.kind);
    if (n == Needs::tcp && !has(Transport::tcp)) {
      r.fail(st.where,
             fmt::format("step '{}' is TCP, but the scenario's transport has no tcp", kind));
    } else if (n == Needs::udp && !has(Transport::udp)) {
      r.fail(st.where,
             fmt::format("step '{}' is UDP, but the scenario's transport has no udp", kind));
    } else if (n == Needs::server_role && s.role != Role::server) {
      r.fail(st.where, fmt::format("step '{}' needs role: server", kind));
    } else if (n == Needs::client_role && s.role != Role::client) {
      r.fail(st.where, fmt::format("step '{}' needs role: client", kind));
    }
  }
  void endpoint(const Step& st, const Scope& sc, const std::string& name) {
    if (!sc.endpoints.contains(name)) {
      r.fail(st.where, fmt::format("endpoint '{}' is not open here (create it with connect, bind, "
                                   "listen or accept first)",
                                   name));
    }
  }
  void instance(const Step& st, const Scope& sc, const std::string& name) {
    if (!sc.instances.contains(name)) {
      r.fail(st.where,
             fmt::format("unknown instance '{}' (start it with start-instance first)", name));
    }
  }

  void walk(const std::vector<Step>& steps, Scope sc) {
    for (const Step& st : steps) {
      if (!r.ok()) return;
      std::visit([&](const auto& k) { visit(st, sc, k); }, st.kind);
    }
  }

  template <class T>
  void on_tcp(const Step& st, Scope& sc, const T& k) {
    require(st, Needs::tcp);
    endpoint(st, sc, k.on);
  }
  void visit(const Step& st, Scope& sc, const step::Connect& k) {
    require(st, Needs::tcp);
    require(st, Needs::server_role);
    sc.endpoints.insert(k.as);
  }
  void visit(const Step& st, Scope& sc, const step::Send& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::Expect& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectEof& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectReset& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectSilence& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::Shutdown& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::Abort& k) { on_tcp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::Close& k) { endpoint(st, sc, k.on); }
  void visit(const Step& st, Scope& sc, const step::Bind& k) {
    require(st, Needs::udp);
    require(st, Needs::server_role);
    sc.endpoints.insert(k.as);
    sc.udp.insert(k.as);
  }
  void visit(const Step& st, Scope& sc, const step::Exchange& k) {
    require(st, Needs::server_role);
    std::string on = k.on.value_or(kTcpEndpoint);
    if (!k.on && !sc.endpoints.contains(on) && sc.endpoints.contains(kUdpEndpoint))
      on = kUdpEndpoint;
    endpoint(st, sc, on);
    if (!r.ok()) return;
    const bool udp = sc.udp.contains(on);
    if (udp && (k.offer || k.use == ExchangeUse::partial || k.count > 1)) {
      r.fail(st.where, fmt::format("exchange on UDP socket '{}': offer, count and use: partial are "
                                   "for TCP connections",
                                   on));
    } else if (!udp && (k.to != kTarget || k.from != kTarget)) {
      r.fail(st.where,
             fmt::format("exchange on TCP connection '{}': 'to' and 'from' are for UDP", on));
    }
  }
  template <class T>
  void on_udp(const Step& st, Scope& sc, const T& k) {
    require(st, Needs::udp);
    endpoint(st, sc, k.on);
  }
  void visit(const Step& st, Scope& sc, const step::SendTo& k) { on_udp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectDatagram& k) { on_udp(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectNoDatagram& k) { on_udp(st, sc, k); }
  void visit(const Step&, Scope& sc, const step::Repeat& k) { walk(k.steps, sc); }
  void visit(const Step&, Scope& sc, const step::Parallel& k) {
    Scope inner = sc;
    inner.in_parallel = true;
    walk(k.steps, inner);
  }
  void visit(const Step& st, Scope& sc, const step::Barrier&) {
    if (!sc.in_parallel) {
      r.fail(st.where, "step 'barrier' waits for the clients of a parallel block: put it in one");
    }
  }
  void visit(const Step& st, Scope& sc, const step::StartInstance& k) {
    require(st, Needs::server_role);
    if (r.ok() && sc.instances.contains(k.as))
      r.fail(st.where, fmt::format("instance '{}' exists already", k.as));
    sc.instances.insert(k.as);
  }
  template <class T>
  void on_instance(const Step& st, Scope& sc, const T& k) {
    require(st, Needs::server_role);
    instance(st, sc, k.instance);
  }
  void visit(const Step& st, Scope& sc, const step::Stop& k) { on_instance(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::Restart& k) { on_instance(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectAlive& k) { on_instance(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectExit& k) { on_instance(st, sc, k); }
  void visit(const Step& st, Scope& sc, const step::ExpectEndpoint& k) {
    on_instance(st, sc, k);
    if (k.distinct_from) instance(st, sc, *k.distinct_from);
  }
  void visit(const Step& st, Scope& sc, const step::ExpectStartFailure& k) {
    require(st, Needs::server_role);
    if (k.port == step::TakenPort::target) instance(st, sc, kTarget);
  }
  void visit(const Step& st, Scope& sc, const step::Census& k) {
    on_instance(st, sc, k);
    sc.censuses.insert(k.as);
  }
  void visit(const Step& st, Scope& sc, const step::ExpectCensus& k) {
    on_instance(st, sc, k);
    if (r.ok() && !sc.censuses.contains(k.baseline)) {
      r.fail(st.where, fmt::format("no census named '{}' before this step", k.baseline));
    }
  }
  void visit(const Step& st, Scope& sc, const step::Listen& k) {
    require(st, Needs::client_role);
    require(st, k.transport == Transport::tcp ? Needs::tcp : Needs::udp);
    sc.endpoints.insert(k.as);
  }
  void visit(const Step& st, Scope& sc, const step::RunClient&) {
    require(st, Needs::client_role);
    one_client_program(st, sc, "run-client");
  }
  // A case has one client program: clients of a parallel block would replace each other's.
  void one_client_program(const Step& st, const Scope& sc, std::string_view kind) {
    if (r.ok() && sc.in_parallel) {
      r.fail(st.where, fmt::format("step '{}' is about the case's one client program: it cannot be "
                                   "in a parallel block",
                                   kind));
    }
  }
  void visit(const Step& st, Scope& sc, const step::Accept& k) {
    require(st, Needs::client_role);
    endpoint(st, sc, k.on);
    sc.endpoints.insert(k.as);
  }
  void visit(const Step& st, Scope& sc, const step::Reply& k) {
    require(st, Needs::client_role);
    endpoint(st, sc, k.on);
  }
  void visit(const Step& st, Scope& sc, const step::ExpectClient&) {
    require(st, Needs::client_role);
    one_client_program(st, sc, "expect-client");
  }
};

}  // namespace

void check_scenario(YamlReader& r, const YAML::Node& root, const Scenario& s) {
  const Side side = s.role == Role::client ? Side::client : Side::server;
  for (std::size_t i = 0; i < s.requirements.size() && r.ok(); ++i) {
    const RequirementInfo* info = find_requirement(s.requirements[i]);
    if (info != nullptr && info->side != side) {
      r.fail(root["requirements"][i],
             fmt::format("requirement '{}' is about {}, but the scenario's role is {}", info->id,
                         info->side == Side::client ? "clients" : "servers",
                         side == Side::client ? "client" : "server"));
    }
  }
  Walker{r, s}.walk(s.steps, Scope{});
  if (r.ok() && uses_exchanges(s.steps) &&
      std::find(s.needs.begin(), s.needs.end(), "exchange") == s.needs.end()) {
    r.fail(root["needs"].IsDefined() ? root["needs"] : root,
           "a scenario with exchange steps needs 'exchange' (the profile's exchanges)");
  }
}

}  // namespace sockspec::scenario
