// sockspec(1): the man page, written in roff from the command line's own description
// (describe_command_line), so that it says what --help says.
#pragma once

#include <string>
#include <string_view>

#include "harness/cli/command_line_doc.hpp"

namespace sockspec::cli {

// The whole page for man(1): NAME, SYNOPSIS, DESCRIPTION, OPTIONS, one subsection per command
// with its flags, ENVIRONMENT, EXIT STATUS, FILES. `version` goes in the header ("0.1.0"). No
// date: the same definitions give the same bytes.
[[nodiscard]] std::string man_page(const ProgramDoc& doc, std::string_view version);

// `text` escaped for roff: backslashes, '-' (as \-), and a '.' or '\'' that would start a line.
[[nodiscard]] std::string roff_escape(std::string_view text);

}  // namespace sockspec::cli
