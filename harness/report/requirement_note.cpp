// Requirement notes: a report's own, else the pack's.
#include "harness/report/requirement_note.hpp"

#include <algorithm>

namespace sockspec::report {

std::optional<engine::RequirementNote> requirement_note(const engine::RunInfo& info,
                                                        std::string_view id) {
  for (const engine::RequirementNote& note : info.requirements) {
    if (note.id == id) return note;
  }
  const scenario::RequirementInfo* known = scenario::find_requirement(id);
  if (known == nullptr) return std::nullopt;
  return engine::RequirementNote{std::string(known->id), known->level, std::string(known->text)};
}

std::string_view level_name(scenario::Level level) {
  return level == scenario::Level::should ? "SHOULD" : "MUST";
}

std::string_view case_level(const engine::RunInfo& info, const engine::CaseResult& result) {
  if (result.requirements.empty()) return "";
  const bool only_should = std::all_of(
      result.requirements.begin(), result.requirements.end(), [&info](const std::string& id) {
        const std::optional<engine::RequirementNote> note = requirement_note(info, id);
        return note && note->level == scenario::Level::should;
      });
  return level_name(only_should ? scenario::Level::should : scenario::Level::must);
}

}  // namespace sockspec::report
