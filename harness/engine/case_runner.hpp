// Runs one case from start to teardown: start the target (unless --connect), run the steps,
// attribute a target's death to the step that saw it, kill and reap everything it started.
#pragma once

#include "harness/engine/context.hpp"
#include "harness/engine/result.hpp"

namespace sockspec::engine {

// The raw outcome: pass, fail, skip or error (expectations and levels are applied by judge()).
// `interrupted` is set when the run was interrupted during this case (its verdict is then error).
struct CaseRun {
  CaseResult result;
  bool interrupted = false;
};

// A target kept alive between the cases of one worker whose scenarios say `target: {shared:
// true}`: the next such case with the same profile, family, service and transports reuses it
// instead of starting a fresh one. A target that died or was stopped is not kept.
struct SharedTarget {
  std::string key;
  std::optional<target::Instance> instance{};
};

// `shared`: the worker's slot for a shared target (nullptr: every case starts its own).
[[nodiscard]] CaseRun run_case(const CaseSpec& spec, int stop_fd, SharedTarget* shared = nullptr);

// The CaseResult fields known before the case runs (ids, target, family).
[[nodiscard]] CaseResult describe_case(const CaseSpec& spec);

}  // namespace sockspec::engine
