// Bounded stream I/O for the fuzzer's exchanges: sending an input in chosen segments while
// taking in whatever the server answers meanwhile, and reading an owed reply to a deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"

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

// Whether to recv() a reply before waiting for it (poll), learnt from the replies before: a
// server that answers before our next call (it ran as soon as our request woke it) is read at
// once, a slower one waited for first; each guess that misses costs one call. Every 16th reply
// is tried at once again, so that a change of pace is seen. Not thread-safe.
class ReplyPace {
 public:
  // Whether to try a recv() first for the next reply.
  [[nodiscard]] bool read_first() { return ready_ || ++since_probe_ % kProbeEvery == 0; }
  // What that first recv() found: data (true) or nothing yet.
  void saw(bool ready) { ready_ = ready; }

 private:
  static constexpr unsigned kProbeEvery = 16;
  bool ready_ = false;
  unsigned since_probe_ = 0;
};

// Reads into `received` until it holds `want` bytes (to_eof: until EOF, at most `want` +
// kReadSlack bytes), the connection ends, or `deadline` passes. `want` 0 without to_eof: takes
// only what is already there (no wait). Otherwise its first call is a recv() or a wait as `pace`
// guesses (and it tells `pace` what a first recv() found); after data it reads again at once,
// else waits; before waiting for the rest of a reply of which a part arrived it sets
// TCP_QUICKACK (see the .cpp).
[[nodiscard]] StreamStatus read_stream(int fd, std::string& received, std::size_t want, bool to_eof,
                                       Deadline deadline, int stop_fd, ReplyPace& pace);

// A non-blocking, close-on-exec TCP socket connected to `peer` within `timeout` (TCP_NODELAY
// not set). As Socket::connect_within, in fewer calls: the socket is made non-blocking, and
// SO_ERROR read only when the poll reports an error. Errors name the peer: "connect
// 127.0.0.1:9: Connection refused (ECONNREFUSED)", "...: timed out after 1000 ms" (ETIMEDOUT).
[[nodiscard]] net::Result<net::Socket> connect_stream(const net::Endpoint& peer,
                                                      std::chrono::milliseconds timeout);

// "ECONNRESET" (or the number when unknown).
[[nodiscard]] std::string errno_name(int e);

// "reset (ECONNRESET)", "timed out", ... for details.
[[nodiscard]] std::string describe(const StreamStatus& s);

}  // namespace sockspec::blackbox
