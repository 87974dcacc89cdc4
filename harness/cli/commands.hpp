// The `sockspec` subcommands; each returns the process's exit code (ARCHITECTURE.md) and prints
// errors as one line each on stderr.
#pragma once

#include "harness/cli/options.hpp"

namespace sockspec::cli {

[[nodiscard]] int run_command(const RunOptions& options);
[[nodiscard]] int list_command(const SelectOptions& options);
[[nodiscard]] int validate_command(const ValidateOptions& options);
[[nodiscard]] int show_command(const ShowOptions& options);

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitError = 3;
inline constexpr int kExitInterrupted = 130;

}  // namespace sockspec::cli
