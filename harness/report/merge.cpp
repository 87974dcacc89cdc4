// Shards' runs merged: checks that they belong together, then interleaves their cases.
#include "harness/report/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

namespace sockspec::report {
namespace {

// K and N of a shard "K/N", or nullopt.
std::optional<std::pair<unsigned, unsigned>> shard_of(const std::string& spec) {
  const auto slash = spec.find('/');
  if (slash == std::string::npos) return std::nullopt;
  unsigned k = 0;
  unsigned n = 0;
  const char* end = spec.data() + spec.size();
  if (std::from_chars(spec.data(), spec.data() + slash, k).ptr != spec.data() + slash ||
      std::from_chars(spec.data() + slash + 1, end, n).ptr != end || k == 0 || k > n) {
    return std::nullopt;
  }
  return std::pair{k, n};
}

std::string joined(const std::vector<std::string>& names) {
  return names.empty() ? "(none)" : fmt::format("{}", fmt::join(names, ", "));
}

// Why `b` cannot be merged with `a`, or empty.
std::string mismatch(const ShardReport& a, const ShardReport& b) {
  const engine::RunInfo& x = a.run.info;
  const engine::RunInfo& y = b.run.info;
  if (x.version != y.version) {
    return fmt::format("made by sockspec {}, {} by {}", y.version.empty() ? "?" : y.version, a.path,
                       x.version.empty() ? "?" : x.version);
  }
  if (x.pack != y.pack) {
    return fmt::format("made from pack {}, {} from pack {}", y.pack.empty() ? "?" : y.pack, a.path,
                       x.pack.empty() ? "?" : x.pack);
  }
  if (x.targets != y.targets) {
    return fmt::format("targets {} differ from {}'s {}", joined(y.targets), a.path,
                       joined(x.targets));
  }
  if (x.strict != y.strict) return fmt::format("--strict differs from {}", a.path);
  if (x.repeat != y.repeat || x.verify != y.verify) {
    return fmt::format("--repeat/--verify differ from {}", a.path);
  }
  return {};
}

}  // namespace

net::Result<engine::RunResult> merge_shards(std::vector<ShardReport> shards) {
  if (shards.empty()) return net::Error{"no report to merge"};
  for (std::size_t i = 1; i < shards.size(); ++i) {
    if (const std::string why = mismatch(shards.front(), shards[i]); !why.empty()) {
      return net::Error{shards[i].path + ": " + why};
    }
  }
  // Which file each case came from, to refuse a case in two.
  std::map<std::tuple<std::string, std::string, scenario::Family>, const std::string*> seen;
  for (const ShardReport& s : shards) {
    for (const engine::CaseResult& r : s.run.cases) {
      const auto [it, fresh] = seen.emplace(std::tuple{r.scenario_id, r.target, r.family}, &s.path);
      if (!fresh) {
        return net::Error{fmt::format("{}: case {} is also in {}", s.path, r.name(), *it->second)};
      }
    }
  }

  engine::RunResult merged;
  merged.info = shards.front().run.info;
  merged.info.shard.clear();
  merged.info.cases = 0;
  merged.info.runs = 0;
  merged.info.requirements.clear();
  std::optional<unsigned> n;  // the shards' N when they all have the same one
  bool slices = true;
  for (const ShardReport& s : shards) {
    const engine::RunInfo& info = s.run.info;
    merged.info.cases += info.cases;
    merged.info.runs += info.runs;
    merged.info.started_at = std::min(merged.info.started_at, info.started_at);
    for (const engine::RequirementNote& note : info.requirements) {
      const bool known =
          std::any_of(merged.info.requirements.begin(), merged.info.requirements.end(),
                      [&note](const engine::RequirementNote& m) { return m.id == note.id; });
      if (!known) merged.info.requirements.push_back(note);
    }
    merged.elapsed = std::max(merged.elapsed, s.run.elapsed);
    merged.interrupted = merged.interrupted || s.run.interrupted;
    const auto kn = shard_of(info.shard);
    slices = slices && kn && (!n || *n == kn->second);
    if (kn) n = kn->second;
  }

  // Plan order: the i-th case of shard K was the (i * N + K - 1)-th of the unsharded run.
  std::vector<std::pair<std::size_t, engine::CaseResult*>> order;
  for (ShardReport& s : shards) {
    const unsigned k = slices ? shard_of(s.run.info.shard)->first : 0;
    for (std::size_t i = 0; i < s.run.cases.size(); ++i) {
      const std::size_t position = slices ? i * *n + (k - 1) : order.size();
      order.emplace_back(position, &s.run.cases[i]);
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [position, r] : order) {
    merged.counts.add(r->verdict);
    merged.cases.push_back(std::move(*r));
  }
  return merged;
}

}  // namespace sockspec::report
