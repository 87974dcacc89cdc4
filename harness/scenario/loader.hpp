// Loading scenario files: YAML -> Scenario, with every problem reported as "file:line:col:
// message".
//
// The loader rejects rather than guesses: unknown keys (with "did you mean"), wrong types, missing
// fields, bad values, unknown requirement IDs and capabilities, steps that name endpoints or
// instances never created, steps that do not fit the scenario's transport or role.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "harness/scenario/model.hpp"
#include "targets/net/result.hpp"

namespace sockspec::scenario {

// Reads and loads one file; `file:` data is resolved against the file's folder and must lie
// inside it or inside one of `data_roots`. The error lists every independent problem of the file
// (each top-level key's and each step's first), one "file:line:col: message" per line, at most
// kMaxErrors (yaml_reader.hpp) and a last line saying there were more.
[[nodiscard]] net::Result<Scenario> load_scenario_file(const std::string& path,
                                                       const DataRoots& data_roots = {});
// Loads `text` as if read from a file named `name` (used in messages and as the base of `file:`).
[[nodiscard]] net::Result<Scenario> load_scenario_text(std::string_view text,
                                                       const std::string& name,
                                                       const DataRoots& data_roots = {});
// Checks a set of loaded scenarios together: ids are unique across them (the error names every
// duplicate, one per line).
[[nodiscard]] net::Status validate_pack(std::span<const Scenario> scenarios);

// YAML that loads back into an equal Scenario (patterns stay patterns; file data is written as
// the resolved path). Used by `sockspec show` and the loader's fuzz harness.
[[nodiscard]] std::string to_yaml(const Scenario& scenario);

}  // namespace sockspec::scenario
