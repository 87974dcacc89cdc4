// Blocking client-side helpers for tests that talk to a real server; every wait has a deadline.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::testing {

using std::chrono::milliseconds;

// Throws std::runtime_error with the error's message: test setup failing is a broken test.
template <class T>
T must(net::Result<T> result) {
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(result).value();
}
void must(const net::Status& status);

// A connected TCP socket (blocking mode).
[[nodiscard]] net::Result<net::Socket> connect_tcp(const net::Endpoint& server);

// Sends all of `data`; false if the connection failed first.
bool send_everything(const net::Socket& socket, std::string_view data,
                     milliseconds timeout = milliseconds(5000));

struct Received {
  std::string bytes;
  bool eof = false;    // the peer closed its side
  bool reset = false;  // ECONNRESET
};

// Reads until EOF, reset, `limit` bytes, or `timeout`.
[[nodiscard]] Received read_until_eof(const net::Socket& socket, milliseconds timeout,
                                      std::size_t limit = std::string::npos);
// Reads until `count` bytes arrived (or EOF/reset/timeout).
[[nodiscard]] Received read_exactly(const net::Socket& socket, std::size_t count,
                                    milliseconds timeout);

struct Datagram {
  std::string payload;
  net::Endpoint from;
};

// A UDP socket of `server`'s family, on an ephemeral port.
[[nodiscard]] net::Result<net::Socket> open_udp_client(const net::Endpoint& server);
// Sends one datagram from `socket` and waits for one reply; std::nullopt on timeout.
[[nodiscard]] std::optional<Datagram> udp_request(const net::Socket& socket,
                                                  const net::Endpoint& server,
                                                  std::string_view payload, milliseconds timeout);

// Counts of what /proc says about a process: open descriptors, threads, live children,
// zombie children.
struct ProcessCensus {
  int fds = 0;
  int threads = 0;
  int children = 0;
  int zombies = 0;
};
[[nodiscard]] ProcessCensus census(int pid);

// Every live process (zombies included) whose process group is `pgid`.
[[nodiscard]] std::vector<int> group_members(int pgid);
// Resident memory of `pid` in KiB (VmRSS of /proc/PID/status); 0 if it is gone.
[[nodiscard]] long resident_kib(int pid);
// The sum of resident_kib over group_members(pgid).
[[nodiscard]] long group_resident_kib(int pgid);
// CPU time (user + system) used so far by the live members of group `pgid`, in milliseconds,
// at the kernel's clock-tick resolution (/proc/PID/stat).
[[nodiscard]] long group_cpu_ms(int pgid);

}  // namespace sockspec::testing
