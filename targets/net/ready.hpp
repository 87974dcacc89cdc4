// The READY contract: one line per bound socket on stdout, "READY tcp 127.0.0.1:41234".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"

namespace sockspec::net {

struct ReadyEntry {
  std::string_view transport;  // "tcp" or "udp"
  Endpoint endpoint;
};

// "READY tcp 127.0.0.1:41234\n" for each entry, in order.
[[nodiscard]] std::string format_ready(const std::vector<ReadyEntry>& entries);

// Writes all lines to stdout (fd 1) in one go, finishing short writes. Call only once every
// socket listens: readiness must be truthful (ACC-1).
Status announce_ready(const std::vector<ReadyEntry>& entries);

}  // namespace sockspec::net
