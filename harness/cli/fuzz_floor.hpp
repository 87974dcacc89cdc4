// The loopback floor of `sockspec fuzz` (for fuzz_bench): the least a client must do per input
// to get an echo server's answer, with blocking sockets and no judging, in each fuzz mode.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/blackbox/finding.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::cli {

// Per exec, one input, answered in full before the next:
//   persistent:     one connection for all; send the input, recv until its echo is back;
//   per-connection: socket, connect, send, shutdown(SHUT_WR), recv to EOF, close;
//   datagram:       one connected UDP socket; send the datagram, recv its echo.
// An empty input costs nothing on a kept stream (nothing is owed) and is an empty datagram.
// Stream calls block without timeouts (the caller guards against a server that stops
// answering); a datagram's echo is awaited 1 s. Not thread-safe.
class FloorClient {
 public:
  // Connects to the echo server at `target` (persistent, datagram).
  [[nodiscard]] static net::Result<FloorClient> open(blackbox::Mode mode,
                                                     const net::Endpoint& target);

  // Runs execs for `duration`, with inputs of `sizes` bytes (not empty), in order, starting
  // over at the end. Error: the echo did not come back or a call failed.
  [[nodiscard]] net::Status run(std::span<const std::uint32_t> sizes,
                                std::chrono::nanoseconds duration);

  [[nodiscard]] std::uint64_t execs() const { return execs_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }  // of the inputs sent
  [[nodiscard]] double seconds() const { return seconds_; }     // in run()

 private:
  FloorClient(blackbox::Mode mode, const net::Endpoint& target) : mode_(mode), target_(target) {}
  [[nodiscard]] bool exchange_one(std::size_t size);

  blackbox::Mode mode_;
  net::Endpoint target_;
  net::Socket socket_;  // persistent, datagram
  std::vector<std::byte> out_;
  std::vector<std::byte> in_ = std::vector<std::byte>(64 * 1024);
  std::uint64_t execs_ = 0;
  std::uint64_t bytes_ = 0;
  double seconds_ = 0;
};

}  // namespace sockspec::cli
