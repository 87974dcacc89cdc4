// How an exchange ended, and where the reply goes; main() maps outcomes to exit codes.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>

#include "targets/net/result.hpp"

namespace sockspec::client {

enum class Outcome {
  kOk,          // the whole reply was delivered to the sink
  kError,       // anything not below: a failed system call, an unusable reply sink
  kRefused,     // TCP ECONNREFUSED; UDP ICMP port unreachable from the server
  kTimeout,     // the deadline passed before the exchange completed
  kPeerClosed,  // the peer closed or reset before the exchange completed
};

struct ExchangeResult {
  Outcome outcome = Outcome::kOk;
  std::string reason;  // one line, for stderr; empty for kOk
};

// Receives the reply bytes in order as they arrive (possibly in many calls). An error stops
// the exchange with Outcome::kError and the sink's message as the reason.
using ReplySink = std::function<net::Status(std::span<const std::byte>)>;

}  // namespace sockspec::client
