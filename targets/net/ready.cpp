// Formatting and writing of READY lines.
#include "targets/net/ready.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>

#include "targets/net/sys.hpp"

namespace sockspec::net {

std::string format_ready(const std::vector<ReadyEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    out += fmt::format("READY {} {}\n", e.transport, e.endpoint.to_string());
  }
  return out;
}

Status announce_ready(const std::vector<ReadyEntry>& entries) {
  const std::string text = format_ready(entries);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = sys::ops().write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error(errno, "write READY to stdout");
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace sockspec::net
