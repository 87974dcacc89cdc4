// Report files are written whole or not at all: to "<path>.tmp", then renamed over `path`. The
// path "-" means standard output, for every report flag.
#pragma once

#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::report {

// The report path that means standard output.
inline constexpr std::string_view kStdoutPath = "-";

// Writes `content` to `path` atomically. On error nothing is left behind (no temp file, `path`
// untouched) and the message names the path: "write /dir/x.xml: No such file or directory
// (ENOENT)". `path` "-": `content` is written to stdout and flushed (errors name "stdout").
[[nodiscard]] net::Status write_file_atomically(const std::string& path, std::string_view content);

// Whether write_file_atomically(path) can succeed, asked before a run so that a wrong path costs
// nothing: `path` is not a folder, and "<path>.tmp" can be made in its folder (it is removed
// again, unless it was there before). Errors name the path as write_file_atomically's do:
// "write /tmp: a folder, not a file", "write nowhere/x.json: No such file or directory (ENOENT)".
// "-" (stdout) always can.
[[nodiscard]] net::Status check_writable(const std::string& path);

}  // namespace sockspec::report
