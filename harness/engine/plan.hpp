// Selecting scenarios and planning cases: scenarios x targets x address families, each case
// either runnable or a skip with its reason; --shard takes a deterministic slice.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/engine/context.hpp"
#include "targets/net/result.hpp"

namespace sockspec::engine {

// Which scenarios to run: each list, when not empty, must be met (an id glob, a tag, a
// requirement ID matching any of its entries).
struct Selection {
  std::vector<std::string> ids;  // globs: "str/*"
  std::vector<std::string> tags;
  std::vector<std::string> requirements;  // exact IDs, or a prefix with '*': "STR-*"
  std::vector<std::string> exclude_tags;
};

[[nodiscard]] std::vector<const scenario::Scenario*> select_scenarios(
    const std::vector<scenario::Scenario>& all, const Selection& selection);

// A target of the run: a profile the harness starts, or a server already running (--connect).
struct TargetRef {
  const target::Profile* profile = nullptr;
  std::optional<net::Endpoint> connect{};
};

struct PlannedCase {
  CaseSpec spec;
  std::optional<std::string> skip{};   // why the case does not run
  std::optional<std::string> error{};  // why it cannot run (its target is unusable): an error
};

// Every case, in order: targets outer, then scenarios, then families. Cases whose role does not
// fit the target (a client scenario against a server) are not planned at all.
[[nodiscard]] std::vector<PlannedCase> plan_cases(
    const std::vector<const scenario::Scenario*>& scenarios, const std::vector<TargetRef>& targets,
    const std::string& bindir);

// "K/N" with 1 <= K <= N: the cases whose index i has i % N == K - 1.
[[nodiscard]] net::Result<std::vector<PlannedCase>> shard(std::vector<PlannedCase> cases,
                                                          const std::string& spec);

// The capabilities a scenario needs: its `needs`, its transports, and those of its requirements.
[[nodiscard]] std::vector<std::string> needed_capabilities(const scenario::Scenario& s);
// True when any step (at any depth) starts, stops or observes an instance.
[[nodiscard]] bool uses_lifecycle(const std::vector<scenario::Step>& steps);

}  // namespace sockspec::engine
