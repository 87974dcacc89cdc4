// stderr diagnostics through the sys seam.
#include "targets/client/log.hpp"

#include <unistd.h>

#include <string>

#include "targets/net/sys.hpp"

namespace sockspec::client {

void log_line(std::string_view text) {
  std::string line = "sockspec-client: ";
  for (const char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  [[maybe_unused]] const ssize_t n = net::sys::ops().write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace sockspec::client
