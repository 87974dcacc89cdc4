// Reading a profile's `exchanges`, and which exchange needs a profile meets (see exchanges.hpp).
#include "harness/target/exchanges.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "harness/scenario/requirements.hpp"
#include "harness/scenario/step_reader.hpp"

namespace sockspec::target {
namespace {

using scenario::DataKind;
using scenario::DataSpec;
using scenario::Match;
using scenario::StepReader;
using scenario::YamlReader;

constexpr std::uint64_t kMaxExchangesBytes = 1 << 20;
constexpr std::string_view kTransportKeys[] = {
    "banner",  "hello",   "requests",         "per-client", "large",
    "closing", "partial", "after-half-close", "pipelining", "keep-alive"};
constexpr std::string_view kEntryKeys[] = {"request", "reply", "repeat", "within"};
constexpr std::string_view kReplyKeys[] = {"text", "hex",   "base64", "pattern",
                                           "file", "regex", "length"};

// `{name}` or `{name:W}` (a width) appears in `text`.
bool mentions(const std::string& text, std::string_view placeholder) {
  return text.find(fmt::format("{{{}}}", placeholder)) != std::string::npos ||
         text.find(fmt::format("{{{}:", placeholder)) != std::string::npos;
}

// The reply's size in bytes when it is fixed by the profile (exact bytes, a length), else 0.
std::uint64_t least_reply_size(const ExchangeSpec& e) {
  if (const auto* d = std::get_if<DataSpec>(&e.reply)) {
    return (d->kind == DataKind::pattern ? d->pattern.size : d->bytes.size()) * e.repeat;
  }
  if (const auto* l = std::get_if<scenario::Length>(&e.reply)) return l->length * e.repeat;
  return 0;
}

// One request/reply entry; `key` is where it is named (its name in `requests`, or `hello`).
ExchangeSpec read_entry(YamlReader& r, StepReader& s, const YAML::Node& key, const YAML::Node& node,
                        std::string name) {
  ExchangeSpec e;
  e.where = r.where(key);
  e.name = std::move(name);
  if (!r.ok()) return e;
  if (e.name.empty() || e.name.find_first_of(" {}\t\n") != std::string::npos) {
    r.fail(key, fmt::format("bad exchange name '{}': expected a word", e.name));
    return e;
  }
  const std::string what = fmt::format("exchange '{}'", e.name);
  if (!r.check_map(node, what, kEntryKeys)) return e;
  if (node.IsNull()) {
    r.fail(node, fmt::format("{}: expected a map with 'request' and 'reply'", what));
    return e;
  }
  const YAML::Node request = r.required(node, "request", what);
  if (r.check_map(request, "request", scenario::kDataKeys))
    e.request = s.data(request, "request", true).value_or(DataSpec{});
  const YAML::Node reply = r.required(node, "reply", what);
  if (r.check_map(reply, "reply", kReplyKeys)) e.reply = s.match(reply, "reply");
  if (const YAML::Node v = node["repeat"]; v.IsDefined()) {
    e.repeat = static_cast<std::uint32_t>(r.unsigned_int(v, "repeat", 1u << 20));
    if (r.ok() && e.repeat == 0) r.fail(v, "'repeat': expected at least 1");
    if (r.ok() && e.repeat > 1 && std::holds_alternative<scenario::Regex>(e.reply)) {
      r.fail(v, "'repeat' needs a reply of exact bytes or a length, not a regex");
    }
  }
  s.duration(node, "within", e.within);
  return e;
}

// A role key (`large: big`): the name of one of the requests.
void read_role(YamlReader& r, const YAML::Node& node, std::string_view key,
               const TransportExchanges& t, std::optional<std::string>& out) {
  const YAML::Node v = node[std::string(key)];
  if (!v.IsDefined() || !r.ok()) return;
  out = r.string(v, key);
  if (!r.ok() || t.find(*out) != nullptr) return;
  std::vector<std::string_view> names;
  for (const ExchangeSpec& e : t.requests) names.push_back(e.name);
  r.fail(v, fmt::format("'{}': no exchange named '{}' in 'requests'{}", key, *out,
                        scenario::did_you_mean(*out, names)));
}

// What each role promises, checked once everything is read.
void check_roles(YamlReader& r, const YAML::Node& node, const TransportExchanges& t) {
  if (t.per_client) {
    const ExchangeSpec& e = *t.find(*t.per_client);
    const auto* text = std::get_if<DataSpec>(&e.reply);
    const auto* regex = std::get_if<scenario::Regex>(&e.reply);
    const bool reply_has = (text != nullptr && mentions(text->bytes, "client")) ||
                           (regex != nullptr && mentions(regex->regex, "client"));
    if (!mentions(e.request.bytes, "client") || !reply_has) {
      return r.fail(node["per-client"],
                    fmt::format("'per-client': exchange '{}' must carry {{client}} in its request "
                                "and its reply (text or regex), so each client's reply is its own",
                                e.name));
    }
  }
  if (t.large) {
    const ExchangeSpec& e = *t.find(*t.large);
    if (least_reply_size(e) < kLargeReply) {
      return r.fail(node["large"],
                    fmt::format("'large': exchange '{}' must have a reply of at least 1MiB of "
                                "known size (exact bytes or a length; 'repeat' multiplies)",
                                e.name));
    }
  }
  if (t.partial) {
    const DataSpec& whole = t.requests.front().request;
    const std::string& prefix = t.partial->bytes;
    const bool fixed = whole.kind != DataKind::pattern &&
                       !scenario::has_placeholders(whole.bytes) &&
                       !scenario::has_placeholders(prefix);
    if (t.partial->kind == DataKind::pattern || prefix.empty() ||
        (fixed && (prefix.size() >= whole.bytes.size() || whole.bytes.rfind(prefix, 0) != 0))) {
      return r.fail(node["partial"],
                    fmt::format("'partial': expected a strict prefix of the default request '{}' "
                                "(its first bytes, not all of them)",
                                t.requests.front().name));
    }
  }
}

TransportExchanges read_transport(YamlReader& r, const YAML::Node& node, std::string_view name,
                                  const std::string& base_dir) {
  TransportExchanges t;
  t.where = r.where(node);
  const std::string what = fmt::format("exchanges.{}", name);
  if (!r.check_map(node, what, kTransportKeys)) return t;
  // A profile names the command the harness runs: its data is trusted as much, from anywhere.
  StepReader s{r, base_dir, {"/"}};
  const YAML::Node requests = r.required(node, "requests", what);
  if (r.ok() && (!requests.IsMap() || requests.size() == 0)) {
    r.fail(requests,
           fmt::format("'requests': expected a map of named exchanges (name: {{request: "
                       "..., reply: ...}}), got {}",
                       requests.IsMap() ? "an empty map" : YamlReader::kind_of(requests)));
  }
  if (!r.ok()) return t;
  for (const auto& kv : requests) {
    ExchangeSpec e = read_entry(r, s, kv.first, kv.second, r.string(kv.first, "requests"));
    if (!r.ok()) return t;
    if (t.find(e.name) != nullptr)
      r.fail(kv.first, fmt::format("exchange '{}' is declared twice", e.name));
    t.requests.push_back(std::move(e));
  }
  const bool udp = name == "udp";
  for (const std::string_view tcp_only :
       {"banner", "hello", "partial", "after-half-close", "pipelining", "keep-alive"}) {
    if (udp && node[std::string(tcp_only)].IsDefined() && r.ok()) {
      r.fail(node[std::string(tcp_only)],
             fmt::format("'{}' is for TCP: over UDP each request is one datagram", tcp_only));
    }
  }
  for (const ExchangeSpec& e : t.requests) {
    if (udp && e.repeat > 1 && r.ok())
      r.fail(e.where, fmt::format("exchange '{}': 'repeat' is for TCP", e.name));
  }
  if (const YAML::Node v = node["banner"]; v.IsDefined() && r.check_map(v, "banner", kReplyKeys))
    t.banner = s.match(v, "banner");
  if (const YAML::Node v = node["hello"]; v.IsDefined() && r.ok()) {
    t.hello = read_entry(r, s, v, v, "hello");
    if (r.ok() && t.hello->repeat != 1) r.fail(v["repeat"], "'hello' is said once: no 'repeat'");
  }
  if (const YAML::Node v = node["partial"];
      v.IsDefined() && r.check_map(v, "partial", scenario::kDataKeys))
    t.partial = s.data(v, "partial", true);
  read_role(r, node, "per-client", t, t.per_client);
  read_role(r, node, "large", t, t.large);
  read_role(r, node, "closing", t, t.closing);
  s.boolean(node, "after-half-close", t.after_half_close);
  s.boolean(node, "pipelining", t.pipelining);
  s.boolean(node, "keep-alive", t.keep_alive);
  if (r.ok()) check_roles(r, node, t);
  return t;
}

}  // namespace

const ExchangeSpec* TransportExchanges::find(std::string_view name) const {
  const auto it = std::find_if(requests.begin(), requests.end(),
                               [&](const ExchangeSpec& e) { return e.name == name; });
  return it == requests.end() ? nullptr : &*it;
}

std::optional<std::string> missing_exchange_part(const TransportExchanges* t, std::string_view need,
                                                 scenario::Transport transport) {
  const std::string_view tname = transport == scenario::Transport::tcp ? "tcp" : "udp";
  if (t == nullptr) {
    return fmt::format(
        "the profile declares no exchanges over {} (exchanges.{}: how to talk to "
        "the server in its own protocol)",
        tname, tname);
  }
  const auto lacks = [&](std::string_view part, std::string_view key) {
    return fmt::format("the profile declares no {} over {} (exchanges.{}.{})", part, tname, tname,
                       key);
  };
  if (need == "exchange-large" && !t->large) return lacks("large exchange", "large");
  if (need == "exchange-closing" && !t->closing) return lacks("closing exchange", "closing");
  if (need == "exchange-partial" && !t->partial) return lacks("partial request", "partial");
  if (need == "exchange-after-half-close" && !t->after_half_close) {
    return fmt::format(
        "the profile does not say its server answers after the client's half-close "
        "(exchanges.{}.after-half-close: true)",
        tname);
  }
  if (need == "exchange-pipelining" && !t->pipelining) {
    return fmt::format(
        "the profile does not say its server takes pipelined requests "
        "(exchanges.{}.pipelining: true)",
        tname);
  }
  if (need == "exchange-keep-alive" && !t->keep_alive) {
    return fmt::format(
        "the profile says its server answers one request per connection "
        "(exchanges.{}.keep-alive: false)",
        tname);
  }
  return std::nullopt;
}

void read_exchanges(YamlReader& r, const YAML::Node& node, const std::string& base_dir,
                    Exchanges& out) {
  if (node.IsScalar()) {  // `exchanges: line.exchanges.yaml`: a file shared by several profiles
    const std::filesystem::path path =
        std::filesystem::path(base_dir) / r.string(node, "exchanges");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return r.fail(node, fmt::format("'exchanges': '{}' is not a regular file", path.string()));
    }
    net::Result<std::string> text = scenario::read_file_bytes(path.string(), kMaxExchangesBytes);
    if (!text) return r.fail(node, text.error().message);
    YamlReader sub(path.string());
    YAML::Node root;
    try {  // yaml-cpp reports syntax errors only by throwing
      root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
      sub.fail_parse(e);
    }
    if (sub.ok() && sub.check_expansion(root) && !root.IsMap())
      sub.fail(root, "expected the map of a profile's 'exchanges'");
    if (sub.ok()) read_exchanges(sub, root, path.parent_path().string(), out);
    // Said at the profile's line, so every error starts with the profile's name.
    if (!sub.ok()) r.fail(node, fmt::format("in '{}': {}", path.string(), sub.error()->message));
    return;
  }
  if (!r.check_map(node, "exchanges", {"service", "tcp", "udp"})) return;
  if (const YAML::Node v = node["service"]; v.IsDefined()) out.service = r.string(v, "service");
  if (const YAML::Node v = node["tcp"]; v.IsDefined())
    out.tcp = read_transport(r, v, "tcp", base_dir);
  if (const YAML::Node v = node["udp"]; v.IsDefined())
    out.udp = read_transport(r, v, "udp", base_dir);
  if (r.ok() && out.empty()) r.fail(node, "'exchanges': expected 'tcp', 'udp' or both");
}

}  // namespace sockspec::target
