// One-line diagnostics on stderr; stdout belongs to the READY contract.
#pragma once

#include <fmt/core.h>
#include <unistd.h>

#include <string>

#include "targets/net/sys.hpp"

namespace sockspec::server {

// Writes "sockspec-server: <message>\n" with a single write(), so lines from threads and
// child processes never interleave.
template <class... Args>
void log_line(fmt::format_string<Args...> format, Args&&... args) {
  std::string line = "sockspec-server: " + fmt::format(format, std::forward<Args>(args)...);
  line += '\n';
  [[maybe_unused]] const auto n = net::sys::ops().write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace sockspec::server
