// list, validate and show (run is in run_command.cpp).
#include "harness/cli/commands.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "harness/cli/pack.hpp"
#include "harness/scenario/loader.hpp"

namespace sockspec::cli {

std::optional<std::vector<const scenario::Scenario*>> load_and_select(
    const SelectOptions& options, std::vector<scenario::Scenario>& all) {
  net::Result<std::vector<scenario::Scenario>> loaded = load_scenarios(options.paths);
  if (!loaded) {
    fmt::print(stderr, "{}\n", loaded.error().message);
    return std::nullopt;
  }
  all = std::move(loaded).value();
  auto selected = engine::select_scenarios(all, options.selection);
  if (selected.empty()) {
    fmt::print(stderr, "sockspec: no scenario selected ({} loaded)\n", all.size());
    return std::nullopt;
  }
  return selected;
}

int list_command(const SelectOptions& options) {
  std::vector<scenario::Scenario> all;
  const auto selected = load_and_select(options, all);
  if (!selected) return kExitUsage;
  for (const scenario::Scenario* s : *selected) {
    std::string reqs;
    for (const std::string& r : s->requirements) reqs += (reqs.empty() ? "" : ",") + r;
    fmt::print("{:<40} {:<16} {}\n", s->id, reqs, s->summary);
  }
  fmt::print(stderr, "{} scenario{}\n", selected->size(), selected->size() == 1 ? "" : "s");
  return kExitOk;
}

int validate_command(const ValidateOptions& options) {
  std::size_t scenarios = 0;
  bool ok = true;
  if (!options.paths.empty() || options.profiles.empty()) {
    net::Result<std::vector<scenario::Scenario>> all = load_scenarios(options.paths);
    if (all) {
      scenarios = all->size();
    } else {
      fmt::print(stderr, "{}\n", all.error().message);
      ok = false;
    }
  }
  for (const std::string& path : options.profiles) {
    if (net::Result<target::Profile> p = target::load_profile_file(path); !p) {
      fmt::print(stderr, "{}\n", p.error().message);
      ok = false;
    }
  }
  if (!ok) return kExitUsage;
  fmt::print("{} scenario{} and {} profile{} valid\n", scenarios, scenarios == 1 ? "" : "s",
             options.profiles.size(), options.profiles.size() == 1 ? "" : "s");
  return kExitOk;
}

int show_command(const ShowOptions& options) {
  std::vector<scenario::Scenario> all;
  const auto selected = load_and_select(options.select, all);
  if (!selected) return kExitUsage;
  bool first = true;
  for (const scenario::Scenario* s : *selected) {
    fmt::print("{}# {}\n{}", first ? "" : "---\n", s->where.file, scenario::to_yaml(*s));
    first = false;
  }
  return kExitOk;
}

}  // namespace sockspec::cli
