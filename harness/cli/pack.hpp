// Loading what a command works on: the scenarios of files and folders (or the built-in pack) and
// the target profiles named on the command line.
#pragma once

#include <string>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/result.hpp"

namespace sockspec::cli {

// The built-in pack and profiles: $SOCKSPEC_PACK_DIR / $SOCKSPEC_PROFILE_DIR, else the folders
// of the source tree this binary was built from.
[[nodiscard]] std::string pack_dir();
[[nodiscard]] std::string profile_dir();
// The folder of the running binary ({bindir}).
[[nodiscard]] std::string bindir();

// Every *.yaml under `paths` (files taken as given, folders recursively, sorted), loaded and
// validated as one pack. Files named requirements.yaml are the pack's own requirement tables
// (scenario/requirement_file.hpp): they are declared first, and are not scenarios. All files are
// loaded; the error lists every bad file's first problem, one "file:line:col: message" per line.
// `file:` data may come from each scenario's folder and from `data_roots` (--data-root).
[[nodiscard]] net::Result<std::vector<scenario::Scenario>> load_scenarios(
    const std::vector<std::string>& paths, const scenario::DataRoots& data_roots);

// `spec` is a file path, a built-in profile name ("reference-epoll") or a glob over them
// ("reference-*"); a name or glob that matches nothing is an error listing the names.
[[nodiscard]] net::Result<std::vector<target::Profile>> load_profiles(const std::string& spec);

}  // namespace sockspec::cli
