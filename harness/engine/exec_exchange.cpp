// The `exchange` step: a request and its reply in the target's own protocol, as its profile
// describes them (harness/target/exchanges.hpp), over a TCP connection or a UDP socket.
#include <fmt/format.h>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"

namespace sockspec::engine {

using scenario::ExchangePart;
using scenario::ExchangeUse;
using scenario::Transport;
namespace step = scenario::step;

namespace {

std::string repeated(const std::string& bytes, std::uint32_t times) {
  std::string out;
  out.reserve(bytes.size() * times);
  for (std::uint32_t i = 0; i < times; ++i) out += bytes;
  return out;
}

// The profile's exchanges over `t`; a case against a profile without them is skipped (the plan
// skips it first; this covers a --connect target and a step the plan could not see).
const target::TransportExchanges& exchanges_of(const CaseSpec& spec, Transport t) {
  static const target::Exchanges kNone;
  const target::Exchanges& all = spec.profile != nullptr ? spec.profile->exchanges : kNone;
  if (auto missing = target::missing_exchange_part(all, "exchange", t)) {
    throw StepSkipped(*missing);
  }
  return *all.of(t);
}

// The exchange a step uses. `per-client` falls back to the default exchange (its reply is then
// checked against the pattern only); a role the profile lacks skips the case.
const target::ExchangeSpec& entry_of(const target::TransportExchanges& t, const step::Exchange& k,
                                     Transport transport) {
  const std::string_view tname = transport == Transport::tcp ? "tcp" : "udp";
  const auto role = [&](const std::optional<std::string>& name, std::string_view need) {
    if (!name) {
      throw StepSkipped(*target::missing_exchange_part(&t, need, transport));
    }
    return t.find(*name);
  };
  const target::ExchangeSpec* e = &t.requests.front();
  switch (k.use) {
    case ExchangeUse::default_:
    case ExchangeUse::partial:
      break;
    case ExchangeUse::per_client:
      if (t.per_client) e = t.find(*t.per_client);
      break;
    case ExchangeUse::large:
      e = role(t.large, "exchange-large");
      break;
    case ExchangeUse::closing:
      e = role(t.closing, "exchange-closing");
      break;
    case ExchangeUse::named:
      e = t.find(k.name);
      if (e == nullptr) {
        throw StepSkipped(
            fmt::format("the profile declares no exchange named '{}' over {}", k.name, tname));
      }
      break;
  }
  return *e;
}

}  // namespace

void Executor::exec(const Step& st, const step::Exchange& k) {
  // Outside `parallel` and `repeat`, {client} and {seq} are 0: a per-client exchange renders
  // anywhere.
  s_.vars.try_emplace("client", "0");
  s_.vars.try_emplace("seq", "0");
  // Without `on`: the connection "c" if open, else the UDP socket "u".
  const bool udp_default =
      !k.on && !s_.tcp.contains(scenario::kTcpEndpoint) && s_.udp.contains(scenario::kUdpEndpoint);
  const std::string on =
      k.on ? *k.on : std::string(udp_default ? scenario::kUdpEndpoint : scenario::kTcpEndpoint);
  if (const auto it = s_.tcp.find(on); it != s_.tcp.end())
    return exchange_tcp(st, k, on, it->second);
  if (s_.udp.contains(on)) return exchange_udp(st, k, on);
  fail(st, fmt::format("endpoint '{}' open", on), "it is not open");
}

void Executor::exchange_tcp(const Step& st, const step::Exchange& k, const std::string& on,
                            TcpPeer& peer) {
  const target::TransportExchanges& t = exchanges_of(s_.env.spec, Transport::tcp);
  if (k.use == ExchangeUse::partial && !t.partial) {
    throw StepSkipped(*target::missing_exchange_part(&t, "exchange-partial", Transport::tcp));
  }
  const target::ExchangeSpec& e = entry_of(t, k, Transport::tcp);
  const scenario::Duration within = k.within.value_or(e.within);
  if (!peer.greeted) {
    if (t.banner) {
      receive(st, peer, on, expected_of(st, *t.banner, {}, vars(on)), within, "the banner");
    }
    if (t.hello) {
      send_bytes(st, peer, on, bytes_of(st, t.hello->request, vars(on)), true);
      receive(st, peer, on, expected_of(st, t.hello->reply, {}, vars(on)), t.hello->within,
              "the reply to the hello");
    }
    peer.greeted = true;
  }
  const std::string label = fmt::format("exchange '{}'", e.name);
  s_.env.transcript.event(s_.label(on), label);
  scenario::TemplateVars v = vars(on);
  const auto request = [&] { return repeated(bytes_of(st, e.request, v), e.repeat); };

  if (k.offer) {  // STR-7: the request over and over, for as long as the server takes it
    const std::string one = request();
    std::string bytes;
    bytes.reserve(k.size + one.size());
    while (bytes.size() < k.size) bytes += one;
    return offer(st, on, *k.offer, peer, bytes);
  }
  if (k.use == ExchangeUse::partial) {
    const std::string prefix = bytes_of(st, *t.partial, v);
    const std::string whole = request();
    if (whole.size() <= prefix.size() || whole.compare(0, prefix.size(), prefix) != 0) {
      fail(st, fmt::format("the profile's partial request, a strict prefix of {}'s request", label),
           fmt::format("{} is not a prefix of {}", show_bytes(prefix), show_bytes(whole)));
    }
    if (k.part == ExchangePart::request) return send_request(st, k, on, peer, prefix);
    send_request(st, k, on, peer, std::string_view(whole).substr(prefix.size()));
  } else if (k.part != ExchangePart::reply) {
    // `count` requests at once; {seq} numbers them.
    std::string bytes;
    for (std::uint32_t i = 0; i < k.count; ++i) {
      if (k.count > 1) v["seq"] = std::to_string(i);
      bytes += request();
    }
    send_request(st, k, on, peer, bytes);
  }
  if (k.part == ExchangePart::request) return;
  const std::uint32_t replies = k.use == ExchangeUse::partial ? 1 : k.count;
  for (std::uint32_t i = 0; i < replies; ++i) {
    if (replies > 1) v["seq"] = std::to_string(i);
    Expected want = expected_of(st, e.reply, {}, v);
    want.bytes = repeated(want.bytes, e.repeat);
    want.length *= e.repeat;
    want.length_max *= e.repeat;
    receive(st, peer, on, want, within,
            replies > 1 ? fmt::format("reply {} of {} to {}", i, replies, label)
                        : fmt::format("the reply to {}", label));
  }
}

void Executor::send_request(const Step& st, const step::Exchange& k, const std::string& on,
                            TcpPeer& peer, std::string_view bytes) {
  if (k.with_fin) cork(st, peer);
  send_bytes(st, peer, on, bytes, true);
  if (k.with_fin) shutdown_with_last_segment(st, peer, on);
}

void Executor::exchange_udp(const Step& st, const step::Exchange& k, const std::string& on) {
  const target::TransportExchanges& t = exchanges_of(s_.env.spec, Transport::udp);
  const target::ExchangeSpec& e = entry_of(t, k, Transport::udp);
  s_.env.transcript.event(s_.label(on), fmt::format("exchange '{}'", e.name));
  if (k.part != ExchangePart::reply) exec(st, step::SendTo{on, k.to, e.request});
  if (k.part != ExchangePart::request) {
    exec(st, step::ExpectDatagram{on, e.reply, k.from, k.within.value_or(e.within)});
  }
}

}  // namespace sockspec::engine
