// Reading of the structure (repeat, parallel), lifecycle/observation and client-role steps.
#include <fmt/format.h>

#include <charconv>

#include "harness/scenario/step_reader.hpp"

namespace sockspec::scenario {
namespace {

// Upper bounds that keep a typo from planning a run of hours.
constexpr std::uint64_t kMaxRepeat = 100'000;
constexpr std::uint64_t kMaxClients = 1'000;

// A census limit: "+N" or N, meaning at most N more than the baseline.
std::optional<std::uint32_t> growth(YamlReader& r, const YAML::Node& map, std::string_view key) {
  const YAML::Node v = map[std::string(key)];
  if (!v.IsDefined()) return std::nullopt;
  std::string text = r.string(v, key);
  if (!r.ok()) return std::nullopt;
  const std::string digits = text.starts_with('+') ? text.substr(1) : text;
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    r.fail(v, fmt::format("'{}': expected a growth like +2, got '{}'", key, text));
  }
  return n;
}

}  // namespace

StepKind read_other_step(StepReader& s, std::string_view kind, const YAML::Node& body) {
  YamlReader& r = s.r;
  const std::string what(kind);
  if (kind == "repeat" && r.check_map(body, what, {"count", "steps"})) {
    step::Repeat c;
    c.count = static_cast<std::uint32_t>(
        r.unsigned_int(r.required(body, "count", what), "count", kMaxRepeat));
    c.steps = s.steps(r.required(body, "steps", what), "steps");
    return c;
  }
  if (kind == "parallel" && r.check_map(body, what, {"clients", "steps"})) {
    step::Parallel c;
    c.clients = static_cast<std::uint32_t>(
        r.unsigned_int(r.required(body, "clients", what), "clients", kMaxClients));
    c.steps = s.steps(r.required(body, "steps", what), "steps");
    return c;
  }
  if (kind == "start-instance" && r.check_map(body, what, {"as"})) {
    step::StartInstance c;
    (void)r.required(body, "as", what);
    s.name(body, "as", c.as);
    return c;
  }
  if (kind == "stop" && r.check_map(body, what, {"instance", "signal", "within"})) {
    step::Stop c;
    s.name(body, "instance", c.instance);
    s.signal(body, "signal", c.signal);
    s.duration(body, "within", c.within);
    return c;
  }
  if (kind == "restart" && r.check_map(body, what, {"instance", "same-port"})) {
    step::Restart c;
    s.name(body, "instance", c.instance);
    s.boolean(body, "same-port", c.same_port);
    return c;
  }
  if (kind == "expect-alive" && r.check_map(body, what, {"instance"})) {
    step::ExpectAlive c;
    s.name(body, "instance", c.instance);
    return c;
  }
  if (kind == "expect-exit" && r.check_map(body, what, {"instance", "code", "signal", "within"})) {
    step::ExpectExit c;
    s.name(body, "instance", c.instance);
    if (const YAML::Node v = body["code"]; v.IsDefined()) c.code = r.signed_int(v, "code", 0, 255);
    if (body["signal"].IsDefined()) s.signal(body, "signal", c.signal.emplace());
    if (r.ok() && c.code && c.signal) r.fail(body, "expect-exit takes code or signal, not both");
    s.duration(body, "within", c.within);
    return c;
  }
  if (kind == "expect-endpoint" && r.check_map(body, what,
                                               {"instance", "non-zero", "distinct-from",
                                                "in-ephemeral-range", "on-asked-address"})) {
    step::ExpectEndpoint c;
    s.name(body, "instance", c.instance);
    s.boolean(body, "non-zero", c.non_zero);
    if (body["distinct-from"].IsDefined()) s.name(body, "distinct-from", c.distinct_from.emplace());
    s.boolean(body, "in-ephemeral-range", c.in_ephemeral_range);
    s.boolean(body, "on-asked-address", c.on_asked_address);
    if (r.ok() && !c.non_zero && !c.distinct_from && !c.in_ephemeral_range && !c.on_asked_address) {
      r.fail(body,
             "expect-endpoint needs one of non-zero, distinct-from, in-ephemeral-range, "
             "on-asked-address");
    }
    return c;
  }
  if (kind == "expect-start-failure" && r.check_map(body, what, {"port", "within"})) {
    step::ExpectStartFailure c;
    if (const YAML::Node v = body["port"]; v.IsDefined()) {
      c.port = r.choice(v, "port", {"held", "target"}) == "target" ? step::TakenPort::target
                                                                   : step::TakenPort::held;
    }
    s.duration(body, "within", c.within);
    return c;
  }
  if (kind == "census" && r.check_map(body, what, {"as", "instance"})) {
    step::Census c;
    (void)r.required(body, "as", what);
    s.name(body, "as", c.as);
    s.name(body, "instance", c.instance);
    return c;
  }
  if (kind == "expect-census" &&
      r.check_map(body, what,
                  {"baseline", "instance", "fds", "threads", "children", "cpu", "rss", "within"})) {
    step::ExpectCensus c;
    (void)r.required(body, "baseline", what);
    s.name(body, "baseline", c.baseline);
    s.name(body, "instance", c.instance);
    c.fds = growth(r, body, "fds");
    c.threads = growth(r, body, "threads");
    c.children = growth(r, body, "children");
    // cpu: +50ms, rss: +64MiB (the '+' is optional, as for counts).
    const auto plus = [&](std::string_view key) -> std::optional<std::string> {
      const YAML::Node v = body[std::string(key)];
      if (!v.IsDefined()) return std::nullopt;
      std::string text = r.string(v, key);
      return text.starts_with('+') ? text.substr(1) : text;
    };
    if (const auto text = plus("cpu"); text && r.ok()) {
      if (auto d = parse_duration(*text))
        c.cpu = *d;
      else
        r.fail(body["cpu"], fmt::format("'cpu': {}", d.error().message));
    }
    if (const auto text = plus("rss"); text && r.ok()) {
      if (auto n = parse_size(*text))
        c.rss = *n;
      else
        r.fail(body["rss"], fmt::format("'rss': {}", n.error().message));
    }
    s.duration(body, "within", c.within);
    return c;
  }
  if (kind == "listen" && r.check_map(body, what, {"as", "transport"})) {
    step::Listen c;
    s.name(body, "as", c.as);
    if (const YAML::Node v = body["transport"]; v.IsDefined()) {
      c.transport =
          r.choice(v, "transport", {"tcp", "udp"}) == "udp" ? Transport::udp : Transport::tcp;
    }
    return c;
  }
  if (kind == "run-client" && r.check_map(body, what, {"args", "stdin"})) {
    step::RunClient c;
    c.args = r.string_list(r.required(body, "args", what), "args");
    for (const std::string& a : c.args) {
      if (net::Status st = check_template(a); !st && r.ok())
        r.fail(body["args"], st.error().message);
    }
    if (const YAML::Node v = body["stdin"]; v.IsDefined() && r.check_map(v, "stdin", kDataKeys)) {
      c.stdin_ = s.data(v, "stdin", true);
    }
    return c;
  }
  if (kind == "accept" && r.check_map(body, what, {"on", "as"})) {
    step::Accept c;
    s.name(body, "on", c.on);
    s.name(body, "as", c.as);
    return c;
  }
  if (kind == "reply" &&
      r.check_map(body, what,
                  {"on", "text", "hex", "base64", "pattern", "file", "pieces", "delay", "from"})) {
    step::Reply c;
    s.name(body, "on", c.on);
    c.data = s.data(body, what, true).value_or(DataSpec{});
    if (const YAML::Node v = body["pieces"]; v.IsDefined()) {
      c.pieces = static_cast<std::uint32_t>(r.unsigned_int(v, "pieces", 1'000'000));
      if (r.ok() && c.pieces == 0) r.fail(v, "'pieces': expected at least 1");
    }
    if (const YAML::Node v = body["delay"]; v.IsDefined())
      c.delay = r.parsed<DurationRange>(v, "delay", parse_duration_range);
    if (body["from"].IsDefined())
      s.address(body, "from", c.from.emplace(), AddressForm::either, {});
    return c;
  }
  if (kind == "barrier") {  // `barrier:` alone, or {within}
    step::Barrier c;
    if (body.IsNull() || !r.check_map(body, what, {"within"})) return c;
    s.duration(body, "within", c.within);
    return c;
  }
  if (kind == "expect-client" && r.check_map(body, what, {"exit", "stdout", "within"})) {
    step::ExpectClient c;
    if (const YAML::Node v = body["exit"]; v.IsDefined()) c.exit = r.signed_int(v, "exit", 0, 255);
    if (const YAML::Node v = body["stdout"];
        v.IsDefined() &&
        r.check_map(v, "stdout", {"text", "hex", "base64", "pattern", "file", "regex", "length"})) {
      c.stdout_ = s.match(v, "stdout");
    }
    s.duration(body, "within", c.within);
    return c;
  }
  return step::Close{};  // an error was recorded by check_map
}

}  // namespace sockspec::scenario
