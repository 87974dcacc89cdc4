// The `sockspec` subcommands; each returns the process's exit code (docs/architecture.md) and
// prints errors as one line each on stderr.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/cli/options.hpp"
#include "harness/scenario/model.hpp"

namespace sockspec::cli {

[[nodiscard]] int run_command(const RunOptions& options);
[[nodiscard]] int list_command(const ListOptions& options);
[[nodiscard]] int validate_command(const ValidateOptions& options);
[[nodiscard]] int show_command(const ShowOptions& options);
[[nodiscard]] int fuzz_command(const FuzzOptions& options);
[[nodiscard]] int report_merge_command(const ReportMergeOptions& options);
[[nodiscard]] int profiles_command(const ProfilesOptions& options);
// `completion bash|zsh` and `man`: the generated script or page on stdout.
[[nodiscard]] int completion_command(const CompletionOptions& options);
[[nodiscard]] int man_command();

// The tool's version, from project() in CMakeLists.txt: "0.1.0".
[[nodiscard]] std::string_view tool_version();
// What --version prints: "sockspec 0.1.0 (pack <revision>)", then the folders of the built-in
// pack and profiles, one "pack: DIR" / "profiles: DIR" line each.
[[nodiscard]] std::string version_text();

// Loads the scenarios of `options` into `all` and returns those selected; prints the error (a
// bad file, or nothing selected) and returns nullopt otherwise.
[[nodiscard]] std::optional<std::vector<const scenario::Scenario*>> load_and_select(
    const SelectOptions& options, std::vector<scenario::Scenario>& all);

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitError = 3;
inline constexpr int kExitInterrupted = 130;
// `run`: the console's reader went away (`| head`); 128 + SIGPIPE, the status a shell reports for
// git or grep then. The run stops; the file reports are written.
inline constexpr int kExitBrokenPipe = 141;
inline constexpr std::string_view kExitCodesHelp =
    "Exit codes: 0 nothing failed; 1 a fail, xpass or flaky case (or non-strict with --strict); 2 "
    "bad flags or files, or nothing selected; 3 an error; 130 interrupted; 141 the console's "
    "reader went away (| head: the run stops quietly, file reports are written).";

}  // namespace sockspec::cli
