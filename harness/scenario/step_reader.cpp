// Reading of the steps list (each step by its entry in step_kinds.hpp), the field helpers, and the
// structure steps (repeat, parallel, barrier).
#include "harness/scenario/step_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "harness/scenario/step_kinds.hpp"
#include "targets/net/endpoint.hpp"

namespace sockspec::scenario {
namespace {

bool valid_name(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Upper bounds that keep a typo from planning a run of hours.
constexpr std::uint64_t kMaxRepeat = 100'000;
constexpr std::uint64_t kMaxClients = 1'000;

// repeat and parallel: a number under `count_key` (at most `max`) and the block's steps.
void read_block(StepReader& s, std::string_view what, const YAML::Node& body,
                std::string_view count_key, std::uint64_t max, std::uint32_t& count,
                std::vector<Step>& steps) {
  YamlReader& r = s.r;
  if (!r.check_map(body, what, {count_key, "steps"})) return;
  count =
      static_cast<std::uint32_t>(r.unsigned_int(r.required(body, count_key, what), count_key, max));
  steps = s.steps(r.required(body, "steps", what), "steps");
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
      const StepKindEntry* entry = find_step_kind(kind);
      if (entry == nullptr) {
        std::vector<std::string_view> names;
        for (const StepKindEntry& e : kStepKinds) names.push_back(e.name);
        const std::string hint = did_you_mean(kind, names);
        return r.fail(kv.first, hint.empty() ? fmt::format("unknown step '{}'", kind)
                                             : fmt::format("unknown step '{}'{}", kind, hint));
      }
      StepKind k = entry->read(*this, entry->name, kv.second);
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

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Repeat& out) {
  read_block(s, what, body, "count", kMaxRepeat, out.count, out.steps);
}

void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Parallel& out) {
  read_block(s, what, body, "clients", kMaxClients, out.clients, out.steps);
}

// `barrier:` alone, or {within}.
void read_body(StepReader& s, std::string_view what, const YAML::Node& body, step::Barrier& out) {
  if (body.IsNull() || !s.r.check_map(body, what, {"within"})) return;
  s.duration(body, "within", out.within);
}

}  // namespace sockspec::scenario

namespace sockspec::scenario {

const StepKindEntry* find_step_kind(std::string_view name) {
  for (const StepKindEntry& e : kStepKinds) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace sockspec::scenario
