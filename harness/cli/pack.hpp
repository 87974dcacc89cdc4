// Loading what a command works on: the scenarios of files and folders (or the built-in pack) and
// the target profiles named on the command line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/result.hpp"

namespace sockspec::cli {

// The variables that choose the built-in pack and profiles, with their help (one table for the
// lookup, --help and the man page).
struct EnvVar {
  std::string_view name;
  std::string_view help;
};
inline constexpr EnvVar kPackDirVar{
    "SOCKSPEC_PACK_DIR",
    "The folder of the built-in pack (scenarios run when no path is given). Default: "
    "../share/sockspec/conformance beside the folder of the sockspec binary, as installed, else "
    "the conformance/ folder of the source tree it was built from."};
inline constexpr EnvVar kProfileDirVar{
    "SOCKSPEC_PROFILE_DIR",
    "The folder of the built-in profiles (--target NAME). Default: ../share/sockspec/profiles "
    "beside the folder of the sockspec binary, as installed, else the targets/profiles/ folder of "
    "the source tree it was built from."};

// The built-in pack and profiles: $SOCKSPEC_PACK_DIR / $SOCKSPEC_PROFILE_DIR when set and not
// empty; else ../share/sockspec/{conformance,profiles} from the running binary's folder when that
// folder exists (an installed tool, wherever its prefix was moved); else the folders of the source
// tree this binary was built from.
[[nodiscard]] std::string pack_dir();
[[nodiscard]] std::string profile_dir();
// The folder of the running binary ({bindir}).
[[nodiscard]] std::string bindir();

// The revision of the pack in `dir`: 12 hex digits of a 64-bit FNV-1a hash over every regular
// file below it but documentation (*.md), each as its relative path and bytes, in path order; so
// that copies of the same scenarios and data have the same revision wherever they lie, installed
// or in the source tree. "unreadable" when `dir` cannot be read.
[[nodiscard]] std::string pack_revision(const std::string& dir);
// The revision of what a command loads from `paths` (empty: the built-in pack, whose revision is
// pack_revision(pack_dir()), as --version prints it): one folder's is its pack_revision(); a file's
// the same hash over its bytes alone; several paths' a hash of theirs. Shards of one run have the
// same; `report merge` refuses reports whose revisions differ.
[[nodiscard]] std::string paths_revision(const std::vector<std::string>& paths);

// A built-in profile: its name (the file's stem) and file.
struct BuiltinProfile {
  std::string name;
  std::string file;
};
// Every profile file under profile_dir() (recursively, sorted by path), without the shared
// `*.exchanges.yaml` files; an error when the folder cannot be read.
[[nodiscard]] net::Result<std::vector<BuiltinProfile>> builtin_profiles();

// Every *.yaml under `paths` (files taken as given, folders recursively, sorted), loaded and
// validated as one pack. Files named requirements.yaml are the pack's own requirement tables
// (scenario/requirement_file.hpp): they are declared first, and are not scenarios. All files are
// loaded; the error lists every problem of every bad file (scenario::load_scenario_file) and every
// duplicate id, one "file:line:col: message" per line.
// `file:` data may come from each scenario's folder and from `data_roots` (--data-root).
[[nodiscard]] net::Result<std::vector<scenario::Scenario>> load_scenarios(
    const std::vector<std::string>& paths, const scenario::DataRoots& data_roots);

// `spec` is a file path, a built-in profile name ("reference-epoll") or a glob over them
// ("reference-*"); a name or glob that matches nothing is an error listing the names.
[[nodiscard]] net::Result<std::vector<target::Profile>> load_profiles(const std::string& spec);

}  // namespace sockspec::cli
