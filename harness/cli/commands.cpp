// list, validate and show (run is in run_command.cpp).
#include "harness/cli/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "harness/cli/listing.hpp"
#include "harness/cli/pack.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::cli {

std::optional<std::vector<const scenario::Scenario*>> load_and_select(
    const SelectOptions& options, std::vector<scenario::Scenario>& all) {
  net::Result<std::vector<scenario::Scenario>> loaded =
      load_scenarios(options.paths, options.data_roots);
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

namespace {

// "ACC-4  MUST    server tcp        3 scenarios (echo 2, exchange 1)": every requirement, even
// those none checks, with the forms that check it.
void list_requirements(const std::vector<const scenario::Scenario*>& selected) {
  for (const scenario::RequirementInfo& info : scenario::all_requirements()) {
    std::size_t count = 0;
    std::map<std::string_view, std::size_t> forms;
    for (const scenario::Scenario* s : selected) {
      if (std::find(s->requirements.begin(), s->requirements.end(), info.id) ==
          s->requirements.end()) {
        continue;
      }
      ++count;
      ++forms[scenario::form_of(*s)];
    }
    std::string applies = info.side == scenario::Side::server ? "server" : "client";
    for (std::string_view c : info.capabilities) applies += fmt::format(" {}", c);
    std::string by;
    for (const auto& [form, n] : forms)
      by += fmt::format("{}{} {}", by.empty() ? "" : ", ", form, n);
    fmt::print("{:<7} {:<7} {:<28} {} scenario{}{}\n", info.id,
               info.level == scenario::Level::must ? "MUST" : "SHOULD", applies, count,
               count == 1 ? "" : "s", by.empty() ? "" : " (" + by + ")");
  }
}

}  // namespace

int list_command(const ListOptions& options) {
  std::vector<scenario::Scenario> all;
  const auto selected = load_and_select(options.select, all);
  if (!selected) return kExitUsage;
  if (options.requirements) {
    list_requirements(*selected);
    return kExitOk;
  }
  if (options.json) {
    fmt::print("{}", scenarios_json(*selected));
    return kExitOk;
  }
  for (const scenario::Scenario* s : *selected) {
    std::string reqs;
    for (const std::string& r : s->requirements) reqs += (reqs.empty() ? "" : ",") + r;
    fmt::print("{:<40} {:<16} {}\n", s->id, reqs, s->summary);
  }
  std::fflush(stdout);  // the count after the table, even with both streams in one pipe
  fmt::print(stderr, "{} scenario{}\n", selected->size(), selected->size() == 1 ? "" : "s");
  return kExitOk;
}

int validate_command(const ValidateOptions& options) {
  std::size_t scenarios = 0;
  bool ok = true;
  if (!options.paths.empty() || options.profiles.empty()) {
    net::Result<std::vector<scenario::Scenario>> all =
        load_scenarios(options.paths, options.data_roots);
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
