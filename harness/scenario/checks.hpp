// Cross-checks of a loaded scenario that no single key shows: names used before they exist, steps
// that do not fit the transport or role, requirements about the other side (loader internals).
#pragma once

#include <yaml-cpp/yaml.h>

#include "harness/scenario/model.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace sockspec::scenario {

// Records the first problem in `r`, located at the offending step (or requirement in `root`).
void check_scenario(YamlReader& r, const YAML::Node& root, const Scenario& s);

}  // namespace sockspec::scenario
