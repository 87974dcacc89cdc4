// Bounded stream I/O for the fuzzer's exchanges: sending an input in chosen segments while
// taking in whatever the server answers meanwhile, and reading an owed reply to a deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace sockspec::blackbox {

using Deadline = std::chrono::steady_clock::time_point;

enum class StreamEnd {
  done,     // everything was sent / the bytes wanted arrived (or EOF when asked for)
  eof,      // the server closed its sending side before that
  reset,    // ECONNRESET, EPIPE: the connection is gone
  timeout,  // the deadline passed first
  stopped,  // `stop_fd` became readable
  error,    // another errno (in `error`)
};

struct StreamStatus {
  StreamEnd end = StreamEnd::done;
  int error = 0;
};

// Reads take at most this much beyond what is wanted: a flooding server cannot exhaust memory.
inline constexpr std::size_t kReadSlack = 64 * 1024;

// Sends `data` on the non-blocking socket `fd`, one send() per segment (sizes summing to
// data.size(); empty: all at once), appending what arrives meanwhile to `received` (at most
// `read_cap` bytes in all). An EOF seen while sending is reported once all is sent (`eof`).
[[nodiscard]] StreamStatus send_segments(int fd, std::string_view data,
                                         std::span<const std::size_t> segments,
                                         std::string& received, std::size_t read_cap,
                                         Deadline deadline, int stop_fd);

// Reads into `received` until it holds `want` bytes (to_eof: until EOF, at most `want` +
// kReadSlack bytes), the connection ends, or `deadline` passes. `want` 0 without to_eof: takes
// only what is already there (no wait).
[[nodiscard]] StreamStatus read_stream(int fd, std::string& received, std::size_t want, bool to_eof,
                                       Deadline deadline, int stop_fd);

// "ECONNRESET" (or the number when unknown).
[[nodiscard]] std::string errno_name(int e);

// "reset (ECONNRESET)", "timed out", ... for details.
[[nodiscard]] std::string describe(const StreamStatus& s);

}  // namespace sockspec::blackbox
