// The `sockspec` subcommands; each returns the process's exit code (ARCHITECTURE.md) and prints
// errors as one line each on stderr.
#pragma once

#include <optional>
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

}  // namespace sockspec::cli
