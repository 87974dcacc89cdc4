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

[[nodiscard]] CaseRun run_case(const CaseSpec& spec, int stop_fd);

// The CaseResult fields known before the case runs (ids, target, family).
[[nodiscard]] CaseResult describe_case(const CaseSpec& spec);

}  // namespace sockspec::engine
