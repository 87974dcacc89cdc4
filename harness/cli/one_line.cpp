// One-line targets (see one_line.hpp).
#include "harness/cli/one_line.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <regex>

#include "harness/report/text.hpp"
#include "harness/scenario/requirements.hpp"
#include "harness/scenario/step_reader.hpp"
#include "harness/scenario/yaml_reader.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::cli {
namespace {

using scenario::Transport;

void add_unique(std::vector<std::string>& list, std::string_view item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.emplace_back(item);
}

net::Status check_capability(std::string_view flag, const std::string& name) {
  if (scenario::is_capability(name)) return {};
  return net::Error{fmt::format("{}: unknown capability '{}'{}", flag, name,
                                scenario::did_you_mean(name, scenario::all_capabilities()))};
}

net::Result<scenario::DataSpec> request_of(const OneLineTarget& o) {
  scenario::DataSpec d;
  if (!o.exchange_hex.empty()) {
    d.kind = scenario::DataKind::hex;
    net::Result<std::string> bytes = scenario::decode_hex(o.exchange_hex);
    if (!bytes) return net::Error{"--exchange-hex: " + bytes.error().message};
    d.bytes = std::move(bytes).value();
    return d;
  }
  net::Result<std::string> bytes = scenario::decode_escapes(o.exchange);
  if (!bytes) return net::Error{"--exchange: " + bytes.error().message};
  if (net::Status t = scenario::check_template(*bytes); !t)
    return net::Error{"--exchange: " + t.error().message};
  d.bytes = std::move(bytes).value();
  return d;
}

net::Result<scenario::Match> regex_of(std::string_view flag, const std::string& text) {
  if (net::Status t = scenario::check_template(text); !t)
    return net::Error{fmt::format("{}: {}", flag, t.error().message)};
  try {  // std::regex reports a bad pattern only by throwing
    (void)std::regex(scenario::render(text, scenario::sample_vars()).value(),
                     std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return net::Error{fmt::format("{}: bad regex '{}': {}", flag, text, e.what())};
  }
  return scenario::Match{scenario::Regex{text}};
}

net::Result<scenario::Match> reply_of(const OneLineTarget& o) {
  if (!o.expect_hex.empty()) {
    net::Result<std::string> bytes = scenario::decode_hex(o.expect_hex);
    if (!bytes) return net::Error{"--expect-hex: " + bytes.error().message};
    scenario::DataSpec d;
    d.kind = scenario::DataKind::hex;
    d.bytes = std::move(bytes).value();
    return scenario::Match{std::move(d)};
  }
  return regex_of("--expect", o.expect);
}

// The `cli` exchange over each transport, from --exchange/--expect (and --banner).
net::Status declare_exchanges(target::Profile& p, const OneLineTarget& o,
                              const std::vector<Transport>& transports) {
  const bool request = !o.exchange.empty() || !o.exchange_hex.empty();
  const bool reply = !o.expect.empty() || !o.expect_hex.empty();
  if (!o.exchange.empty() && !o.exchange_hex.empty())
    return net::Error{"--exchange and --exchange-hex: give one request"};
  if (!o.expect.empty() && !o.expect_hex.empty())
    return net::Error{"--expect and --expect-hex: give one reply"};
  if (request != reply) {
    return net::Error{request ? "--exchange needs --expect REGEX or --expect-hex BYTES (the reply)"
                              : "--expect needs --exchange TEXT or --exchange-hex BYTES (the "
                                "request it answers)"};
  }
  if (!o.banner.empty() && !request)
    return net::Error{"--banner needs --exchange and --expect (what to send after the banner)"};
  if (!request) return {};
  target::ExchangeSpec e;
  e.where = {"--exchange", 1, 1};
  e.name = "cli";
  net::Result<scenario::DataSpec> req = request_of(o);
  if (!req) return req.error();
  e.request = std::move(req).value();
  net::Result<scenario::Match> rep = reply_of(o);
  if (!rep) return rep.error();
  e.reply = std::move(rep).value();
  const auto* rx = std::get_if<scenario::Regex>(&e.reply);
  const bool per_client = e.request.bytes.find("{client}") != std::string::npos && rx != nullptr &&
                          rx->regex.find("{client}") != std::string::npos;
  for (const Transport t : transports) {
    target::TransportExchanges x;
    x.where = e.where;
    x.requests.push_back(e);
    if (per_client) x.per_client = e.name;
    if (t == Transport::tcp && !o.banner.empty()) {
      net::Result<scenario::Match> banner = regex_of("--banner", o.banner);
      if (!banner) return banner.error();
      x.banner = std::move(banner).value();
    }
    (t == Transport::tcp ? p.exchanges.tcp : p.exchanges.udp) = std::move(x);
  }
  return {};
}

net::Status declare_port(target::Profile& p, const std::string& port) {
  if (port.empty()) return {};
  if (port == "ephemeral" || port == "pick") {
    if (port == "ephemeral" &&
        (p.ready == target::Readiness::tcp_probe || p.ready == target::Readiness::udp_probe)) {
      return net::Error{"--port ephemeral: a probe needs a known port (pick or a number)"};
    }
    p.port = port == "pick" ? target::PortPolicy::pick : target::PortPolicy::ephemeral;
    return {};
  }
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  if (ec != std::errc() || end != port.data() + port.size() || n == 0 || n > 65535) {
    return net::Error{fmt::format(
        "--port: bad value '{}': expected ephemeral, pick or a port number from 1 to 65535", port)};
  }
  p.port = target::PortPolicy::fixed;
  p.fixed_port = static_cast<std::uint16_t>(n);
  return {};
}

}  // namespace

std::string one_line_args(const OneLineTarget& o) {
  std::string args;
  const auto add = [&args](std::string_view flag, std::string_view value) {
    if (!value.empty()) args += fmt::format(" {} {}", flag, report::shell_quote(value));
  };
  for (const std::string& s : o.services) add("--service", s);
  if (o.transport != "tcp") add("--transport", o.transport);
  for (const std::string& c : o.capabilities) add("--capability", c);
  for (const std::string& c : o.no_capabilities) add("--no-capability", c);
  add("--exchange", o.exchange);
  add("--exchange-hex", o.exchange_hex);
  add("--expect", o.expect);
  add("--expect-hex", o.expect_hex);
  add("--banner", o.banner);
  add("--port", o.port);
  return args;
}

net::Status declare_one_line_target(target::Profile& p, const OneLineTarget& o,
                                    bool started_by_harness) {
  std::vector<Transport> transports;
  if (o.transport == "tcp" || o.transport == "tcp,udp") transports.push_back(Transport::tcp);
  if (o.transport == "udp" || o.transport == "tcp,udp") transports.push_back(Transport::udp);
  if (transports.empty()) {
    return net::Error{
        fmt::format("--transport: bad value '{}': expected tcp, udp or tcp,udp", o.transport)};
  }
  p.capabilities.clear();
  for (const Transport t : transports)
    add_unique(p.capabilities, t == Transport::tcp ? "tcp" : "udp");
  add_unique(p.capabilities, "ipv4");
  if (started_by_harness) add_unique(p.capabilities, "lifecycle");
  for (const std::string& s : o.services) {
    if (std::find(std::begin(proto::kServiceNames), std::end(proto::kServiceNames), s) ==
        std::end(proto::kServiceNames)) {
      return net::Error{fmt::format("--service: unknown service '{}': expected one of {}{}", s,
                                    fmt::join(proto::kServiceNames, ", "),
                                    scenario::did_you_mean(s, proto::kServiceNames))};
    }
    add_unique(p.capabilities, s);
  }
  for (const std::string& c : o.capabilities) {
    if (net::Status s = check_capability("--capability", c); !s) return s;
    add_unique(p.capabilities, c);
  }
  for (const std::string& c : o.no_capabilities) {
    if (net::Status s = check_capability("--no-capability", c); !s) return s;
    std::erase(p.capabilities, c);
  }
  if (net::Status s = declare_port(p, o.port); !s) return s;
  if (net::Status s = declare_exchanges(p, o, transports); !s) return s;
  // A udp-probe asks with the exchange's request: any other datagram may go unanswered.
  if (p.exchanges.udp &&
      !scenario::has_placeholders(p.exchanges.udp->requests.front().request.bytes))
    p.probe = p.exchanges.udp->requests.front().request.bytes;
  return {};
}

}  // namespace sockspec::cli
