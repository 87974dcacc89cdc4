// Shell completion scripts for bash and zsh, written from the command line's own description
// (describe_command_line), so that they offer exactly the subcommands and flags the parser takes.
#pragma once

#include <string>

#include "harness/cli/command_line_doc.hpp"

namespace sockspec::cli {

// A bash script defining _sockspec and `complete -F _sockspec sockspec`: subcommands; each
// command's flags; the fixed values of a flag with choices; built-in profile names (asked of
// `sockspec profiles` at completion time) and files for --target; files elsewhere.
[[nodiscard]] std::string bash_completion(const ProgramDoc& doc);

// A zsh script for $fpath (file _sockspec, "#compdef sockspec"): the same, through _arguments,
// with each flag's first sentence as its description.
[[nodiscard]] std::string zsh_completion(const ProgramDoc& doc);

}  // namespace sockspec::cli
