// Reading of the TCP steps (connect, send, expect, expect-eof, expect-reset, expect-silence,
// shutdown, abort, close), the UDP steps (bind, send-to, expect-datagram, expect-no-datagram)
// and exchange.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "harness/scenario/step_reader.hpp"

namespace sockspec::scenario {
namespace {

ShutdownHow shutdown_how(YamlReader& r, const YAML::Node& v, std::string_view key) {
  const std::string how = r.choice(v, key, {"write", "read", "both"});
  return how == "read" ? ShutdownHow::read : how == "both" ? ShutdownHow::both : ShutdownHow::write;
}

// expect-eof and expect-reset: {on, within}.
template <class Kind>
void read_on_within(StepReader& s, std::string_view what, const YAML::Node& body, Kind& out) {
  if (!s.r.check_map(body, what, {"on", "within"})) return;
  s.name(body, "on", out.on);
  s.duration(body, "within", out.within);
}

// expect-silence and expect-no-datagram: {on, for}.
template <class Kind>
void read_on_for(StepReader& s, std::string_view what, const YAML::Node& body, Kind& out) {
  if (!s.r.check_map(body, what, {"on", "for"})) return;
  s.name(body, "on", out.on);
  s.duration(body, "for", out.for_);
}

// abort and close: {on}.
template <class Kind>
void read_on(StepReader& s, std::string_view what, const YAML::Node& body, Kind& out) {
  if (s.r.check_map(body, what, {"on"})) s.name(body, "on", out.on);
}

void read_segments(YamlReader& r, const YAML::Node& seg, step::Segments& g) {
  g.size = r.parsed<SizeRange>(r.required(seg, "size", "segments"), "size", parse_size_range);
  if (r.ok() && g.size.min == 0) r.fail(seg["size"], "segment size must be at least 1");
  if (const YAML::Node gap = seg["gap"]; gap.IsDefined())
    g.gap = r.parsed<DurationRange>(gap, "gap", parse_duration_range);
}

// Combinations of an exchange's keys that mean nothing.
void check_exchange(YamlReader& r, const YAML::Node& body, const step::Exchange& c) {
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
}

}  // namespace

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Connect& out) {
  if (!s.r.check_map(body, what, {"as", "family", "local", "within"})) return;
  s.name(body, "as", out.as);
  s.family(body, out.family);
  s.duration(body, "within", out.within);
  if (body["local"].IsDefined())
    s.address(body, "local", out.local.emplace(), AddressForm::either, {});
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Send& out) {
  YamlReader& r = s.r;
  if (!r.check_map(
          body, what,
          step_keys({"on", "segments", "concurrent-read", "offer", "with-fin"}, StepData::data))) {
    return;
  }
  s.name(body, "on", out.on);
  out.data = s.data(body, what, true).value_or(DataSpec{});
  if (const YAML::Node seg = body["segments"];
      seg.IsDefined() && r.check_map(seg, "segments", {"size", "gap"})) {
    read_segments(r, seg, out.segments.emplace());
  }
  s.boolean(body, "concurrent-read", out.concurrent_read);
  if (body["offer"].IsDefined()) s.duration(body, "offer", out.offer.emplace());
  s.boolean(body, "with-fin", out.with_fin);
  if (r.ok() && out.offer && out.segments) r.fail(body, "send takes offer or segments, not both");
  if (r.ok() && out.with_fin && (out.offer || out.segments)) {
    r.fail(body["with-fin"], "send: 'with-fin' goes with neither offer nor segments");
  }
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Expect& out) {
  if (!s.r.check_map(body, what, step_keys({"on", "within"}, StepData::match))) return;
  s.name(body, "on", out.on);
  out.match = s.match(body, what);
  s.duration(body, "within", out.within);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::ExpectEof& out) {
  read_on_within(s, what, body, out);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectReset& out) {
  read_on_within(s, what, body, out);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectSilence& out) {
  read_on_for(s, what, body, out);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Shutdown& out) {
  if (body.IsScalar()) {  // shorthand: `shutdown: write`
    out.how = shutdown_how(s.r, body, what);
    return;
  }
  if (!s.r.check_map(body, what, {"on", "how"})) return;
  s.name(body, "on", out.on);
  if (const YAML::Node how = body["how"]; how.IsDefined()) out.how = shutdown_how(s.r, how, "how");
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Abort& out) {
  read_on(s, what, body, out);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Close& out) {
  read_on(s, what, body, out);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Bind& out) {
  if (!s.r.check_map(body, what, {"as", "family", "local", "port"})) return;
  s.name(body, "as", out.as);
  s.family(body, out.family);
  if (body["local"].IsDefined())
    s.address(body, "local", out.local.emplace(), AddressForm::host, {});
  if (const YAML::Node p = body["port"]; p.IsDefined())
    out.port = static_cast<std::uint16_t>(s.r.unsigned_int(p, "port", 65535));
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::SendTo& out) {
  if (!s.r.check_map(body, what, step_keys({"on", "to"}, StepData::data))) return;
  s.name(body, "on", out.on);
  s.address(body, "to", out.to, AddressForm::host_port, {kTarget});
  out.data = s.data(body, what, true).value_or(DataSpec{});
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectDatagram& out) {
  if (!s.r.check_map(body, what, step_keys({"on", "from", "within"}, StepData::match))) return;
  s.name(body, "on", out.on);
  out.match = s.match(body, what);
  s.address(body, "from", out.from, AddressForm::host_port, {kTarget, "any"});
  s.duration(body, "within", out.within);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body,
               step::ExpectNoDatagram& out) {
  read_on_for(s, what, body, out);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Exchange& c) {
  YamlReader& r = s.r;
  if (body.IsNull()) return;  // `exchange:` alone
  if (!r.check_map(
          body, what,
          {"on", "use", "part", "count", "within", "offer", "size", "to", "from", "with-fin"})) {
    return;
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
  if (r.ok()) check_exchange(r, body, c);
}

}  // namespace sockspec::scenario
