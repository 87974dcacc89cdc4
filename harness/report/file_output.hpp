// Report files are written whole or not at all: to "<path>.tmp", then renamed over `path`.
#pragma once

#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::report {

// Writes `content` to `path` atomically. On error nothing is left behind (no temp file, `path`
// untouched) and the message names the path: "write /dir/x.xml: No such file or directory
// (ENOENT)".
[[nodiscard]] net::Status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace sockspec::report
