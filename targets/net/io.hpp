// Stream reads and writes with their errno classified once, and bounded waits that a stop
// descriptor can cut short.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>

namespace sockspec::net {

enum class IoOutcome {
  kData,        // `bytes` were transferred (at least one)
  kWouldBlock,  // EAGAIN/EWOULDBLOCK on a non-blocking socket: wait and try again
  kEof,         // the peer closed its sending side (recv returned 0)
  kReset,       // ECONNRESET, EPIPE, ETIMEDOUT: the connection is gone, not a bug of ours
  kError,       // anything else: `error` holds errno
};

struct IoResult {
  IoOutcome outcome = IoOutcome::kError;
  std::size_t bytes = 0;
  int error = 0;
};

// One recv(); EINTR is retried.
[[nodiscard]] IoResult recv_some(int fd, std::span<std::byte> buffer);
// One send() with MSG_NOSIGNAL (a closed peer is EPIPE, never SIGPIPE); EINTR is retried.
// May transfer fewer bytes than asked (a short write): the caller sends the rest.
[[nodiscard]] IoResult send_some(int fd, std::span<const std::byte> data);

enum class WaitOutcome { kReady, kStopped, kTimeout, kError };

struct WaitResult {
  WaitOutcome outcome = WaitOutcome::kError;
  short revents = 0;  // for kReady: what poll reported on `fd`
  int error = 0;
};

// Waits until `fd` has one of `events` (POLLIN, POLLOUT), `stop_fd` becomes readable
// (kStopped; pass -1 for none), or `timeout` passes (negative: no limit). EINTR restarts the
// wait with the time that is left.
[[nodiscard]] WaitResult wait_for(int fd, short events, int stop_fd,
                                  std::chrono::milliseconds timeout);

// Sends all of `data` on a socket (blocking or not), finishing short writes and waiting
// for room; gives up when stopped, on timeout or on an error. Returns the last outcome and
// the number of bytes sent in `bytes`.
[[nodiscard]] IoResult send_all(int fd, std::span<const std::byte> data, int stop_fd,
                                std::chrono::milliseconds timeout);

}  // namespace sockspec::net
