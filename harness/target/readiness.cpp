// Readiness methods: READY lines, TCP and UDP probes, /proc discovery; each polls the process
// for an early death between tries.
#include "harness/target/readiness.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <thread>

#include "harness/target/observe.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::target {
namespace {

using Clock = std::chrono::steady_clock;
using scenario::Transport;
using std::chrono::milliseconds;

constexpr milliseconds kProbeGap{10};
constexpr milliseconds kUdpAnswerWait{50};
constexpr milliseconds kQuiet{50};

std::string_view transport_name(Transport t) {
  return t == Transport::tcp ? "tcp" : "udp";
}

milliseconds left_until(Clock::time_point deadline) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(deadline - Clock::now()));
}

std::string_view socket_kind(Transport t) {
  return t == Transport::tcp ? "TCP" : "UDP";
}

std::string_view socket_state(Transport t) {
  return t == Transport::tcp ? "listening" : "bound";
}

bool covers(const std::vector<BoundSocket>& found, const std::vector<Transport>& wanted) {
  if (wanted.empty()) return !found.empty();
  return std::all_of(wanted.begin(), wanted.end(), [&](Transport t) {
    return std::any_of(found.begin(), found.end(),
                       [&](const BoundSocket& b) { return b.transport == t; });
  });
}

std::string missing(const std::vector<BoundSocket>& found, const std::vector<Transport>& wanted) {
  std::string out;
  for (const Transport t : wanted) {
    if (covers(found, {t})) continue;
    out += fmt::format("{}{}", out.empty() ? "" : " or ", transport_name(t));
  }
  return out.empty() ? std::string("any transport") : out;
}

net::Result<net::Endpoint> probe_endpoint(const ReadinessCheck& check) {
  return net::Endpoint::from_host(loopback_host(check.family), check.port);
}

// Whether a socket bound on `e` serves `family`: an IPv4 case is also served by the IPv6
// wildcard (a dual-stack socket).
bool serves_family(const net::Endpoint& e, scenario::Family family) {
  if (family == scenario::Family::ipv6) return e.is_ipv6();
  return !e.is_ipv6() || e.is_wildcard();
}

// The sockets the check asks for: serving the case's family and, when the harness asked for a port
// (pick or a fixed one), on that port; on port 0 any port (the one learnt).
std::vector<BoundSocket> asked_sockets(const std::vector<BoundSocket>& found,
                                       const ReadinessCheck& check) {
  std::vector<BoundSocket> out;
  for (const BoundSocket& b : found) {
    if (!serves_family(b.endpoint, check.family)) continue;
    if (check.port != 0 && b.endpoint.port() != check.port) continue;
    out.push_back(b);
  }
  return out;
}

// Where the check looks: "127.0.0.1:40123", or "IPv4 (any port)" on port 0.
std::string asked_place(const ReadinessCheck& check) {
  if (check.port == 0) {
    return check.family == scenario::Family::ipv6 ? "IPv6 (any port)" : "IPv4 (any port)";
  }
  net::Result<net::Endpoint> e = probe_endpoint(check);
  return e ? e->to_string() : std::string(loopback_host(check.family));
}

// What /proc shows missing, and what it shows instead: "no UDP socket bound on 127.0.0.1:40123
// by the target's processes; TCP 127.0.0.1:40123 was listening; elsewhere: TCP 127.0.0.1:80".
std::string absent_sockets(const std::vector<BoundSocket>& found, const ReadinessCheck& check) {
  const std::vector<BoundSocket> asked = asked_sockets(found, check);
  std::string out;
  for (const Transport t : check.transports) {
    if (covers(asked, {t})) continue;
    out += fmt::format("{}no {} socket {} on {}", out.empty() ? "" : "; ", socket_kind(t),
                       socket_state(t), asked_place(check));
  }
  if (out.empty()) out = fmt::format("no socket listening or bound on {}", asked_place(check));
  out += " by the target's processes";
  for (const BoundSocket& b : asked) {
    out += fmt::format("; {} {} was {}", socket_kind(b.transport), b.endpoint.to_string(),
                       socket_state(b.transport));
  }
  std::string elsewhere;
  for (const BoundSocket& b : found) {
    if (std::find_if(asked.begin(), asked.end(), [&](const BoundSocket& a) {
          return a.transport == b.transport && a.endpoint == b.endpoint;
        }) != asked.end()) {
      continue;
    }
    elsewhere += fmt::format("{}{} {}", elsewhere.empty() ? "; elsewhere: " : ", ",
                             socket_kind(b.transport), b.endpoint.to_string());
  }
  return out + elsewhere;
}

// After a probe answered over `probed`: the case's other transports, each seen in /proc on the
// asked port. OK, or what is missing.
net::Status others_bound(const Process& process, const ReadinessCheck& check, Transport probed) {
  std::vector<Transport> rest;
  for (const Transport t : check.transports) {
    if (t != probed) rest.push_back(t);
  }
  if (rest.empty()) return {};
  net::Result<std::vector<BoundSocket>> found = bound_sockets(process.pid());
  if (!found) return found.error();
  if (covers(asked_sockets(*found, check), rest)) return {};
  ReadinessCheck others = check;
  others.transports = rest;
  net::Result<net::Endpoint> where = probe_endpoint(check);
  return net::Error{fmt::format("{} {} answered; {}", socket_kind(probed),
                                where ? where->to_string() : std::string(),
                                absent_sockets(*found, others))};
}

int address_family(scenario::Family f) {
  return f == scenario::Family::ipv6 ? AF_INET6 : AF_INET;
}

// One TCP connect, bounded. OK when it connected.
net::Status try_tcp(const ReadinessCheck& check, milliseconds bound) {
  net::Result<net::Endpoint> where = probe_endpoint(check);
  if (!where) return where.error();
  net::Result<net::Socket> s = net::Socket::tcp(address_family(check.family));
  if (!s) return s.error();
  return s->connect_within(*where, bound);
}

// One probe datagram from a fresh socket; OK when anything came back within `bound`.
net::Status try_udp(const ReadinessCheck& check, milliseconds bound) {
  net::Result<net::Endpoint> where = probe_endpoint(check);
  if (!where) return where.error();
  net::Result<net::Socket> s = net::Socket::udp(address_family(check.family));
  if (!s) return s.error();
  // Connected, so an ICMP port unreachable shows up as ECONNREFUSED at once.
  if (net::Status c = s->connect(*where); !c) return c;
  const auto* bytes = reinterpret_cast<const std::byte*>(check.probe.data());
  const net::IoResult sent = net::send_some(s->fd(), {bytes, check.probe.size()});
  if (sent.outcome != net::IoOutcome::kData && !check.probe.empty())
    return net::errno_error(sent.error, fmt::format("send to {}", where->to_string()));
  const net::WaitResult w = net::wait_for(s->fd(), POLLIN, -1, bound);
  if (w.outcome != net::WaitOutcome::kReady)
    return net::Error{fmt::format("no answer from {}", where->to_string())};
  std::byte buffer[2048];
  const net::IoResult got = net::recv_some(s->fd(), buffer);
  if (got.outcome == net::IoOutcome::kData) return {};
  return net::errno_error(got.error, fmt::format("recv from {}", where->to_string()));
}

std::vector<BoundSocket> probed(const ReadinessCheck& check) {
  std::vector<BoundSocket> out;
  const net::Endpoint where = *probe_endpoint(check);
  for (const Transport t : check.transports) out.push_back({t, where});
  if (out.empty())
    out.push_back({check.method == Readiness::udp_probe ? Transport::udp : Transport::tcp, where});
  return out;
}

// One look at the READY lines so far: the sockets, or an error for a malformed line.
net::Result<std::vector<BoundSocket>> ready_lines(const Process& process) {
  std::vector<BoundSocket> found;
  for (const std::string& line : process.early_lines()) {
    if (line.rfind("READY", 0) != 0) continue;
    net::Result<BoundSocket> b = parse_ready_line(line);
    if (!b) return b.error();
    found.push_back(*b);
  }
  return found;
}

}  // namespace

std::string_view loopback_host(scenario::Family family) {
  return family == scenario::Family::ipv6 ? "::1" : "127.0.0.1";
}

net::Result<BoundSocket> parse_ready_line(std::string_view line) {
  const auto bad = [&](std::string_view why) {
    return net::Error{fmt::format(
        "malformed READY line '{}': expected 'READY tcp|udp ADDRESS:PORT' ({})", line, why)};
  };
  if (line.rfind("READY ", 0) != 0) return bad("no 'READY ' at the start");
  const std::string_view rest = line.substr(6);
  const std::size_t space = rest.find(' ');
  if (space == std::string_view::npos) return bad("no endpoint");
  const std::string_view transport = rest.substr(0, space);
  BoundSocket b;
  if (transport == "tcp") {
    b.transport = Transport::tcp;
  } else if (transport == "udp") {
    b.transport = Transport::udp;
  } else {
    return bad(fmt::format("unknown transport '{}'", transport));
  }
  net::Result<net::Endpoint> e = net::Endpoint::parse(rest.substr(space + 1));
  if (!e) return bad(e.error().message);
  b.endpoint = *e;
  return b;
}

// A READY line on another port than the one asked for (when one was): the program ignores the
// port it is given, so every check of it would be made on a port it chose itself.
net::Status on_asked_port(const std::vector<BoundSocket>& found, const ReadinessCheck& check) {
  if (check.port == 0) return {};
  for (const BoundSocket& b : found) {
    if (b.endpoint.port() == check.port) continue;
    return net::Error{fmt::format("it reported READY {} {} but was asked for port {}",
                                  transport_name(b.transport), b.endpoint.to_string(), check.port)};
  }
  return {};
}

net::Result<std::vector<BoundSocket>> wait_ready(Process& process, const ReadinessCheck& check,
                                                 Clock::time_point deadline) {
  std::uint64_t seen = 0;
  std::string last_problem;
  for (;;) {
    if (const auto status = process.exit_status()) {
      return net::Error{fmt::format("{} before it was ready", status->describe())};
    }
    // Each method's try below takes at most ~110 ms.
    if (check.stop_fd >= 0 && net::wait_for(check.stop_fd, POLLIN, -1, milliseconds(0)).outcome ==
                                  net::WaitOutcome::kReady) {
      return net::Error{"interrupted"};
    }
    switch (check.method) {
      case Readiness::ready_line: {
        net::Result<std::vector<BoundSocket>> found = ready_lines(process);
        if (!found) return found.error();
        if (net::Status s = on_asked_port(*found, check); !s) return s.error();
        last_problem = found->empty() ? "no READY line on stdout"
                                      : fmt::format("no READY line for {} on stdout",
                                                    missing(*found, check.transports));
        if (covers(*found, check.transports)) {
          if (!check.transports.empty() && !process.partial_line()) return found;
          // Other lines may follow: done once stdout has been quiet for a while.
          const std::uint64_t now_seen = process.wait_output(seen, kQuiet);
          if (now_seen == seen || Clock::now() >= deadline) return ready_lines(process);
          seen = now_seen;
          continue;
        }
        seen = process.wait_output(seen, std::min(milliseconds(10), left_until(deadline)));
        break;
      }
      case Readiness::tcp_probe: {
        net::Status s = try_tcp(check, std::min(milliseconds(100), left_until(deadline)));
        if (s) s = others_bound(process, check, Transport::tcp);
        if (s) return probed(check);
        last_problem = s.error().message;
        std::this_thread::sleep_for(std::min(kProbeGap, left_until(deadline)));
        break;
      }
      case Readiness::udp_probe: {
        net::Status s = try_udp(check, std::min(kUdpAnswerWait, left_until(deadline)));
        if (s) s = others_bound(process, check, Transport::udp);
        if (s) return probed(check);
        last_problem = s.error().message;
        std::this_thread::sleep_for(std::min(kProbeGap, left_until(deadline)));
        break;
      }
      case Readiness::proc: {
        net::Result<std::vector<BoundSocket>> found = bound_sockets(process.pid());
        if (found && covers(asked_sockets(*found, check), check.transports))
          return asked_sockets(*found, check);
        last_problem = found ? absent_sockets(*found, check) : found.error().message;
        std::this_thread::sleep_for(std::min(kProbeGap, left_until(deadline)));
        break;
      }
    }
    if (Clock::now() >= deadline) {
      if (const auto status = process.exit_status()) {
        return net::Error{fmt::format("{} before it was ready", status->describe())};
      }
      return net::Error{fmt::format("not ready within {} ({}: {})",
                                    scenario::format_duration(check.timeout),
                                    readiness_name(check.method), last_problem)};
    }
  }
}

}  // namespace sockspec::target
