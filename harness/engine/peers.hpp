// The harness's own sockets in a case ("c", "u", "l"...), with what each has sent and received,
// and the bounded waits every step uses on them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "targets/net/endpoint.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::engine {

using Clock = std::chrono::steady_clock;

// A TCP connection: bytes received but not yet consumed by an expectation, and the bytes sent
// since the last `same-as-sent` check (kept whole: the check reports the first differing byte).
struct TcpPeer {
  net::Socket socket;
  std::string pending;
  std::string sent;
  std::uint64_t received_total = 0;
  bool eof = false;      // the peer's FIN was read
  bool reset = false;    // ECONNRESET was read
  bool greeted = false;  // the banner read and the hello said (before the first exchange)
  std::string local;     // "127.0.0.1:54321", the {peer} placeholder
};

// A UDP socket: the last datagram sent (for same-as-sent) and the last peer heard from (where a
// client-role `reply` goes).
struct UdpPeer {
  net::Socket socket;
  std::string last_sent;
  std::optional<net::Endpoint> last_peer{};
  std::string local;
};

// A TCP listening socket of the client role.
struct TcpListener {
  net::Socket socket;
  std::string local;
};

enum class ReadOutcome { data, eof, reset, timeout, interrupted, error };
struct ReadResult {
  ReadOutcome outcome = ReadOutcome::error;
  std::string bytes;  // data
  int error = 0;      // error: errno
};

// Waits until `peer` has something to read (or `deadline`, or `stop_fd` readable) and reads what
// is there, up to 256 KiB, into the result (not into `pending`: the caller records it).
[[nodiscard]] ReadResult read_some(const net::Socket& socket, Clock::time_point deadline,
                                   int stop_fd);

// How long a transfer may go on: it times out once nothing has moved for `stall` (no byte sent
// and none received), and at `deadline` in any case. A slow peer that keeps taking or sending
// bytes is never timed out by `stall`.
struct TransferLimit {
  Clock::duration stall{};
  Clock::time_point deadline = Clock::time_point::max();
  // When the transfer must end if nothing moves after `last_progress`.
  [[nodiscard]] Clock::time_point until(Clock::time_point last_progress) const;
};

// A send fails once the peer has taken no byte (and, reading concurrently, sent none) for this
// long: it stopped reading. However slowly, a peer that takes bytes is never stopped.
inline constexpr std::chrono::seconds kStallLimit{5};

enum class WriteOutcome { done, reset, timeout, interrupted, error };
struct WriteResult {
  WriteOutcome outcome = WriteOutcome::error;
  std::size_t written = 0;
  int error = 0;
  Clock::time_point last_progress{};  // when a byte was last sent or drained
};
// Writes all of `bytes` within `limit`. With `drain`, whatever arrives meanwhile is appended to
// `drained` (so that a peer echoing a large payload never blocks our send: concurrent read), and
// counts as progress.
[[nodiscard]] WriteResult write_all(const net::Socket& socket, std::string_view bytes,
                                    const TransferLimit& limit, int stop_fd, std::string* drained);

// Why a send of `total` bytes timed out: "only 1258291 of 16777216 bytes sent: the peer stopped
// reading: no byte accepted for 5s after 1.2 MiB at 60.0 KiB/s"; `active` is the time from the
// start to the last byte accepted; `drained`: it counted received bytes as progress too.
[[nodiscard]] std::string describe_stall(std::uint64_t done, std::uint64_t total,
                                         Clock::duration active, Clock::duration stall,
                                         bool drained);

// "1.2 MiB at 58.6 KiB/s": `bytes` moved in `took`, for diagnostics ("1 byte", "300 bytes",
// "64.0 KiB"); the rate is left out when `took` is under a millisecond.
[[nodiscard]] std::string describe_transfer(std::uint64_t bytes, Clock::duration took);

// Milliseconds left until `deadline` (never negative).
[[nodiscard]] std::chrono::milliseconds left(Clock::time_point deadline);

}  // namespace sockspec::engine
