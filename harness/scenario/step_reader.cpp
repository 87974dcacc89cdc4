// Reading of the steps list, the field helpers, and the TCP and UDP steps.
#include "harness/scenario/step_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "targets/net/endpoint.hpp"

namespace sockspec::scenario {
namespace {

constexpr std::string_view kSocketSteps[] = {"connect",
                                             "send",
                                             "expect",
                                             "expect-eof",
                                             "expect-reset",
                                             "expect-silence",
                                             "shutdown",
                                             "abort",
                                             "close",
                                             "bind",
                                             "send-to",
                                             "expect-datagram",
                                             "expect-no-datagram",
                                             "exchange"};
constexpr std::string_view kOtherSteps[] = {
    "repeat",        "parallel",        "start-instance",
    "stop",          "restart",         "expect-alive",
    "expect-exit",   "expect-endpoint", "expect-start-failure",
    "census",        "expect-census",   "listen",
    "run-client",    "accept",          "reply",
    "expect-client", "barrier"};

bool valid_name(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Upper bounds that keep a typo from planning a run of hours.
constexpr std::uint64_t kMaxRepeat = 100'000;
constexpr std::uint64_t kMaxClients = 1'000;

// Reads one step kind's body into a value of that kind.
template <class Kind>
StepKind read_kind(StepReader& s, std::string_view what, const YAML::Node& body) {
  Kind out;
  read_body(s, what, body, out);
  return out;
}

}  // namespace

std::vector<std::string_view> step_keys(std::initializer_list<std::string_view> own,
                                        StepData with) {
  std::vector<std::string_view> out(own);
  if (with != StepData::none) out.insert(out.end(), std::begin(kDataKeys), std::end(kDataKeys));
  if (with == StepData::match) out.insert(out.end(), std::begin(kMatchOnly), std::end(kMatchOnly));
  return out;
}

TemplateVars sample_vars() {
  TemplateVars v;
  for (const std::string_view k : known_placeholders()) v.emplace(std::string(k), "1");
  v["target.host"] = v["listen.host"] = "127.0.0.1";
  v["target.addr"] = v["listen.addr"] = v["peer"] = "127.0.0.1:1";
  return v;
}

bool is_socket_step(std::string_view kind) {
  return std::find(std::begin(kSocketSteps), std::end(kSocketSteps), kind) !=
         std::end(kSocketSteps);
}

std::vector<Step> StepReader::steps(const YAML::Node& list, std::string_view what) {
  std::vector<Step> out;
  if (!r.ok()) return out;
  if (!list.IsSequence() || list.size() == 0) {
    r.fail(list, fmt::format("'{}': expected a non-empty list of steps, got {}", what,
                             list.IsSequence() ? "an empty list" : YamlReader::kind_of(list)));
    return out;
  }
  // Each step is read independently: a file reports the first error of every step.
  for (const YAML::Node& item : list) {
    r.independently([&] {
      if (!item.IsMap() || item.size() != 1) {
        return r.fail(item, fmt::format("a step is a map with one key, the step's kind; got {}",
                                        item.IsMap() ? fmt::format("{} keys", item.size())
                                                     : std::string(YamlReader::kind_of(item))));
      }
      const auto kv = *item.begin();
      const std::string kind = r.string(kv.first, "step");
      std::vector<std::string_view> all(std::begin(kSocketSteps), std::end(kSocketSteps));
      all.insert(all.end(), std::begin(kOtherSteps), std::end(kOtherSteps));
      if (std::find(all.begin(), all.end(), kind) == all.end()) {
        const std::string hint = did_you_mean(kind, all);
        return r.fail(kv.first, hint.empty() ? fmt::format("unknown step '{}'", kind)
                                             : fmt::format("unknown step '{}'{}", kind, hint));
      }
      StepKind k = is_socket_step(kind) ? read_tcp_or_udp_step(*this, kind, kv.second)
                                        : read_other_step(*this, kind, kv.second);
      if (r.ok()) out.push_back(Step{r.where(kv.first), std::move(k)});
    });
  }
  return out;
}

void StepReader::name(const YAML::Node& map, std::string_view key, std::string& out) {
  const YAML::Node v = map[std::string(key)];
  if (!v.IsDefined()) return;
  std::string s = r.string(v, key);
  if (r.ok() && !valid_name(s)) {
    r.fail(v, fmt::format("bad name '{}' for '{}': expected lower-case letters, digits, '-', '_'",
                          s, key));
  }
  out = std::move(s);
}

void StepReader::duration(const YAML::Node& map, std::string_view key, Duration& out) {
  if (const YAML::Node v = map[std::string(key)]; v.IsDefined())
    out = r.parsed<Duration>(v, key, parse_duration);
}

void StepReader::boolean(const YAML::Node& map, std::string_view key, bool& out) {
  if (const YAML::Node v = map[std::string(key)]; v.IsDefined()) out = r.boolean(v, key);
}

void StepReader::address(const YAML::Node& map, std::string_view key, std::string& out,
                         AddressForm form, std::initializer_list<std::string_view> keywords) {
  const YAML::Node v = map[std::string(key)];
  if (!v.IsDefined()) return;
  out = r.string(v, key);
  if (!r.ok() || std::find(keywords.begin(), keywords.end(), out) != keywords.end()) return;
  if (net::Status s = check_template(out); !s) return r.fail(v, s.error().message);
  const std::string rendered = render(out, sample_vars()).value();
  const bool host = net::Endpoint::from_host(rendered, 0).ok();
  const bool host_port = net::Endpoint::parse(rendered).ok();
  const bool good = form == AddressForm::host        ? host
                    : form == AddressForm::host_port ? host_port
                                                     : host || host_port;
  if (good) return;
  std::string expected = form == AddressForm::host        ? "an IP address"
                         : form == AddressForm::host_port ? "an address HOST:PORT ([V6]:PORT)"
                                                          : "an IP address or HOST:PORT";
  for (const std::string_view k : keywords) expected += fmt::format(" or '{}'", k);
  r.fail(v, fmt::format("bad address '{}' for '{}': expected {}", out, key, expected));
}

void StepReader::family(const YAML::Node& map, std::optional<Family>& out) {
  if (const YAML::Node v = map["family"]; v.IsDefined()) {
    out = r.choice(v, "family", {"ipv4", "ipv6"}) == "ipv6" ? Family::ipv6 : Family::ipv4;
  }
}

void StepReader::signal(const YAML::Node& map, std::string_view key, std::string& out) {
  if (const YAML::Node v = map[std::string(key)]; v.IsDefined()) out = r.choice(v, key, kSignals);
}

StepKind read_tcp_or_udp_step(StepReader& s, std::string_view kind, const YAML::Node& body) {
  YamlReader& r = s.r;
  if (kind == "shutdown" && body.IsScalar()) {  // shorthand: `shutdown: write`
    const std::string how = r.choice(body, "shutdown", {"write", "read", "both"});
    return step::Shutdown{kTcpEndpoint, how == "read"   ? ShutdownHow::read
                                        : how == "both" ? ShutdownHow::both
                                                        : ShutdownHow::write};
  }
  const std::string what(kind);
  if (kind == "connect" && r.check_map(body, what, {"as", "family", "local", "within"})) {
    step::Connect c;
    s.name(body, "as", c.as);
    s.family(body, c.family);
    s.duration(body, "within", c.within);
    if (body["local"].IsDefined())
      s.address(body, "local", c.local.emplace(), AddressForm::either, {});
    return c;
  }
  if (kind == "send" &&
      r.check_map(
          body, what,
          step_keys({"on", "segments", "concurrent-read", "offer", "with-fin"}, StepData::data))) {
    step::Send c;
    s.name(body, "on", c.on);
    c.data = s.data(body, what, true).value_or(DataSpec{});
    if (const YAML::Node seg = body["segments"];
        seg.IsDefined() && r.check_map(seg, "segments", {"size", "gap"})) {
      step::Segments& g = c.segments.emplace();
      g.size = r.parsed<SizeRange>(r.required(seg, "size", "segments"), "size", parse_size_range);
      if (r.ok() && g.size.min == 0) r.fail(seg["size"], "segment size must be at least 1");
      if (const YAML::Node gap = seg["gap"]; gap.IsDefined())
        g.gap = r.parsed<DurationRange>(gap, "gap", parse_duration_range);
    }
    s.boolean(body, "concurrent-read", c.concurrent_read);
    if (body["offer"].IsDefined()) s.duration(body, "offer", c.offer.emplace());
    s.boolean(body, "with-fin", c.with_fin);
    if (r.ok() && c.offer && c.segments) r.fail(body, "send takes offer or segments, not both");
    if (r.ok() && c.with_fin && (c.offer || c.segments)) {
      r.fail(body["with-fin"], "send: 'with-fin' goes with neither offer nor segments");
    }
    return c;
  }
  if (kind == "expect" && r.check_map(body, what, step_keys({"on", "within"}, StepData::match))) {
    step::Expect c;
    s.name(body, "on", c.on);
    c.match = s.match(body, what);
    s.duration(body, "within", c.within);
    return c;
  }
  if ((kind == "expect-eof" || kind == "expect-reset") &&
      r.check_map(body, what, {"on", "within"})) {
    std::string on = kTcpEndpoint;
    Duration within = kDefaultWithin;
    s.name(body, "on", on);
    s.duration(body, "within", within);
    if (kind == "expect-eof") return step::ExpectEof{on, within};
    return step::ExpectReset{on, within};
  }
  if (kind == "expect-silence" && r.check_map(body, what, {"on", "for"})) {
    step::ExpectSilence c;
    s.name(body, "on", c.on);
    s.duration(body, "for", c.for_);
    return c;
  }
  if (kind == "shutdown" && r.check_map(body, what, {"on", "how"})) {
    step::Shutdown c;
    s.name(body, "on", c.on);
    if (const YAML::Node how = body["how"]; how.IsDefined()) {
      const std::string h = r.choice(how, "how", {"write", "read", "both"});
      c.how = h == "read"   ? ShutdownHow::read
              : h == "both" ? ShutdownHow::both
                            : ShutdownHow::write;
    }
    return c;
  }
  if ((kind == "abort" || kind == "close") && r.check_map(body, what, {"on"})) {
    std::string on = kTcpEndpoint;
    s.name(body, "on", on);
    if (kind == "abort") return step::Abort{on};
    return step::Close{on};
  }
  if (kind == "bind" && r.check_map(body, what, {"as", "family", "local", "port"})) {
    step::Bind c;
    s.name(body, "as", c.as);
    s.family(body, c.family);
    if (body["local"].IsDefined())
      s.address(body, "local", c.local.emplace(), AddressForm::host, {});
    if (const YAML::Node p = body["port"]; p.IsDefined())
      c.port = static_cast<std::uint16_t>(r.unsigned_int(p, "port", 65535));
    return c;
  }
  if (kind == "send-to" && r.check_map(body, what, step_keys({"on", "to"}, StepData::data))) {
    step::SendTo c;
    s.name(body, "on", c.on);
    s.address(body, "to", c.to, AddressForm::host_port, {kTarget});
    c.data = s.data(body, what, true).value_or(DataSpec{});
    return c;
  }
  if (kind == "expect-datagram" &&
      r.check_map(body, what, step_keys({"on", "from", "within"}, StepData::match))) {
    step::ExpectDatagram c;
    s.name(body, "on", c.on);
    c.match = s.match(body, what);
    s.address(body, "from", c.from, AddressForm::host_port, {kTarget, "any"});
    s.duration(body, "within", c.within);
    return c;
  }
  if (kind == "expect-no-datagram" && r.check_map(body, what, {"on", "for"})) {
    step::ExpectNoDatagram c;
    s.name(body, "on", c.on);
    s.duration(body, "for", c.for_);
    return c;
  }
  if (kind == "exchange") return read_exchange_step(s, body);
  return step::Close{};  // an error was recorded by check_map
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Repeat& out) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, {"count", "steps"})) return;
  out.count = static_cast<std::uint32_t>(
      r.unsigned_int(r.required(body, "count", what), "count", kMaxRepeat));
  out.steps = s.steps(r.required(body, "steps", what), "steps");
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Parallel& out) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, {"clients", "steps"})) return;
  out.clients = static_cast<std::uint32_t>(
      r.unsigned_int(r.required(body, "clients", what), "clients", kMaxClients));
  out.steps = s.steps(r.required(body, "steps", what), "steps");
}

// `barrier:` alone, or {within}.
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Barrier& out) {
  if (body.IsNull() || !s.r.check_map(body, what, {"within"})) return;
  s.duration(body, "within", out.within);
}

StepKind read_other_step(StepReader& s, std::string_view kind, const YAML::Node& body) {
  using Reader = StepKind (*)(StepReader&, std::string_view, const YAML::Node&);
  static const std::pair<std::string_view, Reader> kReaders[] = {
      {"repeat", read_kind<step::Repeat>},
      {"parallel", read_kind<step::Parallel>},
      {"barrier", read_kind<step::Barrier>},
      {"start-instance", read_kind<step::StartInstance>},
      {"stop", read_kind<step::Stop>},
      {"restart", read_kind<step::Restart>},
      {"expect-alive", read_kind<step::ExpectAlive>},
      {"expect-exit", read_kind<step::ExpectExit>},
      {"expect-endpoint", read_kind<step::ExpectEndpoint>},
      {"expect-start-failure", read_kind<step::ExpectStartFailure>},
      {"census", read_kind<step::Census>},
      {"expect-census", read_kind<step::ExpectCensus>},
      {"listen", read_kind<step::Listen>},
      {"run-client", read_kind<step::RunClient>},
      {"accept", read_kind<step::Accept>},
      {"reply", read_kind<step::Reply>},
      {"expect-client", read_kind<step::ExpectClient>}};
  for (const auto& [name, read] : kReaders) {
    if (name == kind) return read(s, kind, body);
  }
  return step::Close{};  // not reached: steps() checks the name first
}

step::Exchange read_exchange_step(StepReader& s, const YAML::Node& body) {
  YamlReader& r = s.r;
  step::Exchange c;
  if (body.IsNull()) return c;  // `exchange:` alone
  if (!r.check_map(
          body, "exchange",
          {"on", "use", "part", "count", "within", "offer", "size", "to", "from", "with-fin"})) {
    return c;
  }
  if (body["on"].IsDefined()) s.name(body, "on", c.on.emplace());
  if (const YAML::Node v = body["use"]; v.IsDefined()) {
    const std::string use = r.string(v, "use");
    const auto* it = std::find(std::begin(kExchangeUses), std::end(kExchangeUses), use);
    if (it != std::end(kExchangeUses)) {
      c.use = static_cast<ExchangeUse>(it - std::begin(kExchangeUses));
    } else {
      c.use = ExchangeUse::named;
      s.name(body, "use", c.name);
    }
  }
  if (const YAML::Node v = body["part"]; v.IsDefined()) {
    const std::string part = r.choice(v, "part", kExchangeParts);
    const auto* it = std::find(std::begin(kExchangeParts), std::end(kExchangeParts), part);
    if (r.ok()) c.part = static_cast<ExchangePart>(it - std::begin(kExchangeParts));
  }
  if (const YAML::Node v = body["count"]; v.IsDefined()) {
    c.count = static_cast<std::uint32_t>(r.unsigned_int(v, "count", 100000));
    if (r.ok() && c.count == 0) r.fail(v, "'count': expected at least 1");
  }
  if (body["within"].IsDefined()) s.duration(body, "within", c.within.emplace());
  if (body["offer"].IsDefined()) s.duration(body, "offer", c.offer.emplace());
  if (const YAML::Node v = body["size"]; v.IsDefined())
    c.size = r.parsed<std::uint64_t>(v, "size", parse_size);
  s.address(body, "to", c.to, AddressForm::host_port, {kTarget});
  s.address(body, "from", c.from, AddressForm::host_port, {kTarget, "any"});
  s.boolean(body, "with-fin", c.with_fin);
  if (!r.ok()) return c;
  // Combinations that mean nothing.
  const bool partial = c.use == ExchangeUse::partial;
  if (c.offer.has_value() != body["size"].IsDefined()) {
    r.fail(body, "exchange: 'offer' and 'size' go together (offer the request up to size bytes)");
  } else if (c.offer && (c.part != ExchangePart::both || body["count"].IsDefined() || partial)) {
    r.fail(body, "exchange: 'offer' takes neither 'part', 'count' nor use: partial");
  } else if (c.offer && c.size == 0) {
    r.fail(body["size"], "'size': expected more than 0 bytes");
  } else if (partial && c.part != ExchangePart::request && c.part != ExchangePart::rest) {
    r.fail(body, "exchange: use: partial takes part: request (the prefix) or part: rest");
  } else if (!partial && c.part == ExchangePart::rest) {
    r.fail(body["part"], "exchange: part: rest goes with use: partial only");
  } else if (partial && body["count"].IsDefined()) {
    r.fail(body["count"], "exchange: use: partial takes no 'count'");
  } else if (c.with_fin && (c.offer || c.part == ExchangePart::reply)) {
    r.fail(body["with-fin"],
           "exchange: 'with-fin' goes with a request sent whole (not offer, not part: reply)");
  }
  return c;
}

}  // namespace sockspec::scenario
