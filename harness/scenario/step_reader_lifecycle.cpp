// Reading of the lifecycle and observation steps: start-instance, stop, restart, expect-alive,
// expect-exit, expect-endpoint, expect-start-failure, census, expect-census.
#include <fmt/format.h>

#include <charconv>

#include "harness/scenario/step_reader.hpp"

namespace sockspec::scenario {
namespace {

// The text of a growth limit without its optional '+' ("+2" and "2" both mean at most 2 more);
// std::nullopt when `key` is absent or not a string (an error is then recorded).
std::optional<std::string> growth_text(YamlReader& r, const YAML::Node& map, std::string_view key) {
  const YAML::Node v = map[std::string(key)];
  if (!v.IsDefined()) return std::nullopt;
  std::string text = r.string(v, key);
  if (!r.ok()) return std::nullopt;
  return text.starts_with('+') ? text.substr(1) : text;
}

// A census count limit: "+N" or N.
std::optional<std::uint32_t> count_growth(YamlReader& r, const YAML::Node& map,
                                          std::string_view key) {
  const std::optional<std::string> digits = growth_text(r, map, key);
  if (!digits) return std::nullopt;
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(digits->data(), digits->data() + digits->size(), n);
  if (digits->empty() || ec != std::errc() || end != digits->data() + digits->size()) {
    r.fail(map[std::string(key)], fmt::format("'{}': expected a growth like +2, got '{}'", key,
                                              r.string(map[std::string(key)], key)));
  }
  return n;
}

// A census limit in `parse`'s unit: "+50ms" for cpu, "+64MiB" for rss.
template <class T, class Parse>
std::optional<T> unit_growth(YamlReader& r, const YAML::Node& map, std::string_view key,
                             Parse parse) {
  const std::optional<std::string> text = growth_text(r, map, key);
  if (!text) return std::nullopt;
  auto v = parse(*text);
  if (v) return *v;
  r.fail(map[std::string(key)], fmt::format("'{}': {}", key, v.error().message));
  return std::nullopt;
}

}  // namespace

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::StartInstance& out) {
  if (!s.r.check_map(body, what, {"as"})) return;
  (void)s.r.required(body, "as", what);
  s.name(body, "as", out.as);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Stop& out) {
  if (!s.r.check_map(body, what, {"instance", "signal", "within"})) return;
  s.name(body, "instance", out.instance);
  s.signal(body, "signal", out.signal);
  s.duration(body, "within", out.within);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Restart& out) {
  if (!s.r.check_map(body, what, {"instance", "same-port"})) return;
  s.name(body, "instance", out.instance);
  s.boolean(body, "same-port", out.same_port);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectAlive& out) {
  if (!s.r.check_map(body, what, {"instance"})) return;
  s.name(body, "instance", out.instance);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectExit& out) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, {"instance", "code", "signal", "within"})) return;
  s.name(body, "instance", out.instance);
  if (const YAML::Node v = body["code"]; v.IsDefined()) out.code = r.signed_int(v, "code", 0, 255);
  if (body["signal"].IsDefined()) s.signal(body, "signal", out.signal.emplace());
  if (r.ok() && out.code && out.signal) r.fail(body, "expect-exit takes code or signal, not both");
  s.duration(body, "within", out.within);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectEndpoint& out) {
  YamlReader& r = s.r;
  if (!r.check_map(
          body, what,
          {"instance", "non-zero", "distinct-from", "in-ephemeral-range", "on-asked-address"})) {
    return;
  }
  s.name(body, "instance", out.instance);
  s.boolean(body, "non-zero", out.non_zero);
  if (body["distinct-from"].IsDefined()) s.name(body, "distinct-from", out.distinct_from.emplace());
  s.boolean(body, "in-ephemeral-range", out.in_ephemeral_range);
  s.boolean(body, "on-asked-address", out.on_asked_address);
  if (r.ok() && !out.non_zero && !out.distinct_from && !out.in_ephemeral_range &&
      !out.on_asked_address) {
    r.fail(body,
           "expect-endpoint needs one of non-zero, distinct-from, in-ephemeral-range, "
           "on-asked-address");
  }
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectStartFailure& out) {
  if (!s.r.check_map(body, what, {"port", "within"})) return;
  if (const YAML::Node v = body["port"]; v.IsDefined()) {
    out.port = s.r.choice(v, "port", {"held", "target"}) == "target" ? step::TakenPort::target
                                                                     : step::TakenPort::held;
  }
  s.duration(body, "within", out.within);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Census& out) {
  if (!s.r.check_map(body, what, {"as", "instance"})) return;
  (void)s.r.required(body, "as", what);
  s.name(body, "as", out.as);
  s.name(body, "instance", out.instance);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectCensus& out) {
  YamlReader& r = s.r;
  if (!r.check_map(
          body, what,
          {"baseline", "instance", "fds", "threads", "children", "cpu", "rss", "within"})) {
    return;
  }
  (void)r.required(body, "baseline", what);
  s.name(body, "baseline", out.baseline);
  s.name(body, "instance", out.instance);
  out.fds = count_growth(r, body, "fds");
  out.threads = count_growth(r, body, "threads");
  out.children = count_growth(r, body, "children");
  if (r.ok()) out.cpu = unit_growth<Duration>(r, body, "cpu", parse_duration);
  if (r.ok()) out.rss = unit_growth<std::uint64_t>(r, body, "rss", parse_size);
  s.duration(body, "within", out.within);
}

}  // namespace sockspec::scenario
