// One-line diagnostics on stderr, "sockspec-client: <text>"; stdout carries only the reply.
#pragma once

#include <string_view>

namespace sockspec::client {

// Writes "sockspec-client: <text>\n" with one write(); newlines inside `text` become spaces,
// so a reason is always exactly one line. Errors writing stderr are ignored: there is nowhere
// left to report them.
void log_line(std::string_view text);

}  // namespace sockspec::client
