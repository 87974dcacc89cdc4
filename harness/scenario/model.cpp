// Names of the step kinds (from the table in step_kinds.hpp) and what a scenario talks through.
#include "harness/scenario/model.hpp"

#include <algorithm>
#include <array>

#include "harness/scenario/requirements.hpp"
#include "harness/scenario/step_kinds.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::scenario {

std::string_view step_name(const StepKind& kind) {
  static constexpr auto kNames = [] {
    std::array<std::string_view, std::variant_size_v<StepKind>> names{};
    for (const StepKindEntry& e : kStepKinds) names.at(e.index) = e.name;
    return names;
  }();
  return kNames.at(kind.index());
}

std::string_view form_of(const Scenario& s) {
  if (uses_exchanges(s.steps)) return "exchange";
  if (s.target && s.target->service) return *s.target->service;
  for (const std::string& need : s.needs) {
    for (std::string_view service : proto::kServiceNames) {
      if (need == service) return service;
    }
  }
  return "sockets";
}

bool uses_exchanges(const std::vector<Step>& steps) {
  return std::any_of(steps.begin(), steps.end(), [](const Step& st) {
    if (const auto* r = std::get_if<step::Repeat>(&st.kind)) return uses_exchanges(r->steps);
    if (const auto* p = std::get_if<step::Parallel>(&st.kind)) return uses_exchanges(p->steps);
    return std::holds_alternative<step::Exchange>(st.kind);
  });
}

}  // namespace sockspec::scenario
