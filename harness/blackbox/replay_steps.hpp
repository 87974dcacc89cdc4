// The steps of a finding's replay scenario, computed with the reference protocol code.
#pragma once

#include <vector>

#include "harness/blackbox/finding.hpp"
#include "harness/scenario/model.hpp"

namespace sockspec::blackbox {

// The steps finding_scenario() describes (finding.hpp): the messages in the finding's mode, each
// followed by what the model says a correct server answers (the peer as {peer}, TIME's time by
// its form), then the probe and expect-alive; in protocol mode, the greeting, the messages and an
// `exchange` probe.
[[nodiscard]] std::vector<scenario::Step> replay_steps(const Finding& f);

}  // namespace sockspec::blackbox
