// Reading the message from stdin and writing the reply to stdout, as raw bytes.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "targets/client/deadline.hpp"
#include "targets/net/result.hpp"

namespace sockspec::client {

// Reads `fd` to EOF, waiting for input at most until `deadline`. Errors: "read stdin: ..."
// with errno; running out of time is an Error with code ETIMEDOUT.
[[nodiscard]] net::Result<std::string> read_all(int fd, Clock::time_point deadline);

// Writes all of `data` to `fd`: short writes are finished, EINTR retried, and a non-blocking
// `fd` that is full is waited on until `deadline` (then an Error with code ETIMEDOUT).
// Errors: "write stdout: Broken pipe (EPIPE)"...
net::Status write_all(int fd, std::span<const std::byte> data, Clock::time_point deadline);

}  // namespace sockspec::client
