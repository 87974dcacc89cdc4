// Selection and planning (see plan.hpp).
#include "harness/engine/plan.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <charconv>

#include "harness/engine/verdict.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::engine {
namespace {

using scenario::Family;

bool glob(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool any_of(const std::vector<std::string>& patterns, const std::vector<std::string>& values) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
    return std::any_of(values.begin(), values.end(),
                       [&](const std::string& v) { return glob(p, v); });
  });
}

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void add_unique(std::vector<std::string>& list, std::string_view item) {
  if (!has(list, item)) list.emplace_back(item);
}

std::string_view family_capability(Family f) {
  return f == Family::ipv6 ? "ipv6" : "ipv4";
}

// Why the way the profile starts its target cannot meet `need` (scenario::kLaunchNeeds), or
// nullopt.
std::optional<std::string> missing_launch_need(const target::Profile& p, std::string_view need) {
  if (need != scenario::kPortZero) return std::nullopt;
  switch (p.port) {
    case target::PortPolicy::ephemeral:
      return std::nullopt;
    case target::PortPolicy::pick:
      return std::string(
          "the profile starts the target on a port it picks (port: pick), not on port 0");
    case target::PortPolicy::fixed:
      return fmt::format("the profile starts the target on port {0} (port: {0}), not on port 0",
                         p.fixed_port);
  }
  return std::nullopt;
}

// Why the case cannot run on this target, or nullopt.
std::optional<std::string> skip_reason(const scenario::Scenario& s, const TargetRef& t, Family f) {
  if (t.connect && uses_lifecycle(s.steps)) {
    return std::string("lifecycle steps need a target the harness starts (--connect given)");
  }
  if (t.connect && has(s.needs, scenario::kPortZero)) {
    return std::string("the server is already running (--connect): it was not started on port 0");
  }
  const target::Profile* p = t.profile;
  if (p != nullptr) {
    if (const target::Expectation* e = find_expectation(p, s);
        e != nullptr && e->verdict == target::ExpectedVerdict::skip) {
      return e->reason;
    }
    std::vector<std::string> needed = needed_capabilities(s);
    add_unique(needed, family_capability(f));
    if (uses_lifecycle(s.steps)) add_unique(needed, "lifecycle");
    for (const std::string& cap : needed) {
      if (scenario::is_exchange_need(cap)) {
        for (scenario::Transport tr : s.transport) {
          if (auto missing = target::missing_exchange_part(p->exchanges, cap, tr)) return missing;
        }
      } else if (scenario::is_launch_need(cap)) {
        if (auto missing = missing_launch_need(*p, cap)) return missing;
      } else if (!has(p->capabilities, cap)) {
        return fmt::format("target lacks capability '{}'", cap);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<const scenario::Scenario*> select_scenarios(const std::vector<scenario::Scenario>& all,
                                                        const Selection& sel) {
  std::vector<const scenario::Scenario*> out;
  for (const scenario::Scenario& s : all) {
    if (!sel.ids.empty() && !any_of(sel.ids, {s.id})) continue;
    if (!sel.tags.empty() && !any_of(sel.tags, s.tags)) continue;
    if (!sel.requirements.empty() && !any_of(sel.requirements, s.requirements)) continue;
    if (!sel.exclude_tags.empty() && any_of(sel.exclude_tags, s.tags)) continue;
    out.push_back(&s);
  }
  return out;
}

std::vector<std::string> needed_capabilities(const scenario::Scenario& s) {
  std::vector<std::string> caps;
  for (const std::string& n : s.needs) add_unique(caps, n);
  for (scenario::Transport t : s.transport) {
    add_unique(caps, t == scenario::Transport::tcp ? "tcp" : "udp");
  }
  for (const std::string& id : s.requirements) {
    if (const auto* info = scenario::find_requirement(id)) {
      for (std::string_view cap : info->capabilities) add_unique(caps, cap);
    }
  }
  return caps;
}

bool uses_lifecycle(const std::vector<scenario::Step>& steps) {
  namespace step = scenario::step;
  return std::any_of(steps.begin(), steps.end(), [](const scenario::Step& st) {
    if (const auto* r = std::get_if<step::Repeat>(&st.kind)) return uses_lifecycle(r->steps);
    if (const auto* p = std::get_if<step::Parallel>(&st.kind)) return uses_lifecycle(p->steps);
    return std::holds_alternative<step::StartInstance>(st.kind) ||
           std::holds_alternative<step::Stop>(st.kind) ||
           std::holds_alternative<step::Restart>(st.kind) ||
           std::holds_alternative<step::ExpectAlive>(st.kind) ||
           std::holds_alternative<step::ExpectExit>(st.kind) ||
           std::holds_alternative<step::ExpectEndpoint>(st.kind) ||
           std::holds_alternative<step::ExpectStartFailure>(st.kind) ||
           std::holds_alternative<step::Census>(st.kind) ||
           std::holds_alternative<step::ExpectCensus>(st.kind);
  });
}

std::vector<PlannedCase> plan_cases(const std::vector<const scenario::Scenario*>& scenarios,
                                    const std::vector<TargetRef>& targets,
                                    const std::string& bindir) {
  std::vector<PlannedCase> cases;
  for (const TargetRef& t : targets) {
    const scenario::Role role = t.profile != nullptr ? t.profile->role : scenario::Role::server;
    for (const scenario::Scenario* s : scenarios) {
      if (s->role != role) continue;
      for (Family f : s->families) {
        // A running server is reached over the family of its address only.
        if (t.connect && (f == Family::ipv6) != t.connect->is_ipv6()) continue;
        PlannedCase c{CaseSpec{s, t.profile, t.connect, f, bindir}, skip_reason(*s, t, f)};
        cases.push_back(std::move(c));
      }
    }
  }
  return cases;
}

net::Result<std::vector<PlannedCase>> shard(std::vector<PlannedCase> cases,
                                            const std::string& spec) {
  const auto slash = spec.find('/');
  unsigned k = 0;
  unsigned n = 0;
  const char* end = spec.data() + spec.size();
  const bool parsed =
      slash != std::string::npos &&
      std::from_chars(spec.data(), spec.data() + slash, k).ptr == spec.data() + slash &&
      std::from_chars(spec.data() + slash + 1, end, n).ptr == end;
  if (!parsed || n == 0 || k == 0 || k > n) {
    return net::Error{
        fmt::format("bad --shard '{}': expected K/N with 1 <= K <= N, e.g. 2/4", spec)};
  }
  std::vector<PlannedCase> mine;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (i % n == k - 1) mine.push_back(std::move(cases[i]));
  }
  return mine;
}

}  // namespace sockspec::engine
