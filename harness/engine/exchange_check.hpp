// Before a run: each target's default exchange is tried once, per transport, on a fresh instance,
// so that a profile whose exchange does not work says so once, clearly, instead of failing every
// case on exchanges the same way.
#pragma once

#include <string>
#include <vector>

#include "harness/engine/plan.hpp"

namespace sockspec::engine {

// Tries the exchanges the planned, runnable cases will use. For each target whose exchange got
// something else than its reply, the message ("target 'redis': its exchange 'ping' does not work
// (profile.yaml:7:5): expected ...; observed ...") is returned, to be said once, and those cases
// become errors that point to it. Targets that do not start are left to their cases. Stops early
// when `stop_fd` becomes readable.
[[nodiscard]] std::vector<std::string> check_exchanges(std::vector<PlannedCase>& cases,
                                                       const std::string& bindir, int stop_fd);

}  // namespace sockspec::engine
