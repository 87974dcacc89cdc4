// A profile's `exchanges`: how to talk to its server in the server's own protocol, per transport
// (request/reply pairs, a banner, a partial request, a large and a closing exchange, and what the
// protocol allows on one connection). Scenarios written on exchanges (conformance/exchange/) use
// them through the `exchange` step, so any server can be judged on the socket-level requirements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace sockspec::target {

using scenario::Duration;
using scenario::SourceLocation;

// One named request and the reply it must get.
struct ExchangeSpec {
  SourceLocation where;
  std::string name;
  scenario::DataSpec request;
  scenario::Match reply;     // bytes, regex or length (a range allowed); never same-as-sent
  std::uint32_t repeat = 1;  // request and reply repeated (a large exchange from a small one)
  Duration within = scenario::kDefaultWithin;
  bool operator==(const ExchangeSpec&) const = default;
};

// How to talk over one transport. Over UDP a request is one datagram and its reply one datagram.
struct TransportExchanges {
  SourceLocation where;
  std::optional<scenario::Match> banner{};  // TCP: the server speaks first on every connection
  // TCP: what a client must say once per connection before any request (MQTT's CONNECT): sent,
  // and its reply checked, before a connection's first exchange (after the banner).
  std::optional<ExchangeSpec> hello{};
  std::vector<ExchangeSpec> requests;           // the first is the default exchange
  std::optional<std::string> per_client{};      // {client} in request and reply: cross-talk shows
  std::optional<std::string> large{};           // a reply of at least 1 MiB
  std::optional<std::string> closing{};         // the server closes after its reply
  std::optional<scenario::DataSpec> partial{};  // a strict prefix of the default request
  bool after_half_close = false;  // answers a request followed at once by the client's SHUT_WR
  bool pipelining = false;        // requests may be written before earlier replies are read
  bool keep_alive = true;         // several exchanges, one after another, on one connection
  [[nodiscard]] const ExchangeSpec* find(std::string_view name) const;
  bool operator==(const TransportExchanges&) const = default;
};

struct Exchanges {
  std::optional<std::string> service{};  // {service} when a case talks through exchanges
  std::optional<TransportExchanges> tcp{}, udp{};
  [[nodiscard]] const TransportExchanges* of(scenario::Transport t) const {
    return t == scenario::Transport::tcp ? (tcp ? &*tcp : nullptr) : (udp ? &*udp : nullptr);
  }
  [[nodiscard]] bool empty() const { return !tcp && !udp; }
  bool operator==(const Exchanges&) const = default;
};

// A reply needs at least this much to be a `large` exchange (STR-4, STR-5, STR-7 in the pack).
inline constexpr std::uint64_t kLargeReply = std::uint64_t{1} << 20;

// Why a profile with these exchanges cannot meet `need` (an entry of scenario::kExchangeNeeds)
// over `transport`, e.g. "the profile declares no large exchange over tcp (exchanges.tcp.large)";
// std::nullopt when it can.
[[nodiscard]] std::optional<std::string> missing_exchange_part(const TransportExchanges* exchanges,
                                                               std::string_view need,
                                                               scenario::Transport transport);
[[nodiscard]] inline std::optional<std::string> missing_exchange_part(
    const Exchanges& exchanges, std::string_view need, scenario::Transport transport) {
  return missing_exchange_part(exchanges.of(transport), need, transport);
}

// Reads the `exchanges` map of a profile; `base_dir` resolves `file:` data. Problems go to `r`.
void read_exchanges(scenario::YamlReader& r, const YAML::Node& node, const std::string& base_dir,
                    Exchanges& out);

}  // namespace sockspec::target
