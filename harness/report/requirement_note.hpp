// What reporters know of a case's requirements: the notes a report read back carries, else the
// pack's table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/engine/result.hpp"

namespace sockspec::report {

// Requirement `id` as `info.requirements` holds it (a report read back), else as
// scenario::find_requirement() knows it; nullopt when neither does.
[[nodiscard]] std::optional<engine::RequirementNote> requirement_note(const engine::RunInfo& info,
                                                                      std::string_view id);

// "MUST", "SHOULD"
[[nodiscard]] std::string_view level_name(scenario::Level level);

// The level a failure of `result` has: "SHOULD" when every requirement it checks is a known
// SHOULD (a failure is non-strict), "MUST" otherwise, "" when it names no requirement. The rule
// of engine::only_should().
[[nodiscard]] std::string_view case_level(const engine::RunInfo& info,
                                          const engine::CaseResult& result);

}  // namespace sockspec::report
