// Scripted peers for tests of a program that connects out (a client): loopback sockets bound
// before the program starts, a thread that runs a peer's script, and bounded socket steps for
// those scripts. (peers.hpp has the other side: peers that connect to a program under test.)
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <thread>

#include "targets/net/acceptor.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/fd.hpp"
#include "targets/net/socket.hpp"
#include "targets/testing/peers.hpp"

namespace sockspec::testing {

// How long any single step of a peer may wait: far beyond every client timeout in the tests,
// so that a peer never gives up first, yet a broken test still ends.
inline constexpr std::chrono::milliseconds kPeerStepLimit = std::chrono::seconds(20);

// Runs `body(stop_fd)` on a std::jthread. stop_fd becomes readable when the test is done;
// every wait in `body` includes it. The destructor stops and joins.
class PeerThread {
 public:
  explicit PeerThread(std::function<void(int stop_fd)> body);
  PeerThread(const PeerThread&) = delete;
  PeerThread& operator=(const PeerThread&) = delete;
  ~PeerThread() { stop_and_join(); }

  // Wakes the body's waits and waits for it to return; results it wrote may then be read.
  void stop_and_join();

 private:
  net::Fd stop_read_;
  net::Fd stop_write_;
  std::jthread thread_;
};

// A TCP socket listening on `host` (a numeric loopback address), port 0, and the Acceptor
// over it that peer scripts accept from.
[[nodiscard]] net::Socket tcp_listener(const std::string& host);
[[nodiscard]] inline net::Acceptor tcp_acceptor(const std::string& host) {
  return net::Acceptor(tcp_listener(host));
}
// A UDP socket bound on `host`, port 0 unless `port` is given.
[[nodiscard]] net::Socket udp_bound(const std::string& host, std::uint16_t port = 0);
// Where `socket` is bound.
[[nodiscard]] net::Endpoint local(const net::Socket& socket);
// A port on `host` that nothing listens on: bound by a socket of `type` (SOCK_STREAM or
// SOCK_DGRAM), then closed.
[[nodiscard]] net::Endpoint closed_port(const std::string& host, int type);

// The steps of peer scripts. Each waits at most kPeerStepLimit and gives up when stop_fd is
// readable; failure is std::nullopt / false, and the client's result tells the test the rest.
[[nodiscard]] std::optional<net::Socket> accept_one(net::Acceptor& acceptor, int stop_fd);
// Reads until EOF.
[[nodiscard]] std::optional<std::string> read_to_eof(const net::Socket& socket, int stop_fd);
// Reads until `count` LFs have arrived (and whatever came with the last one).
[[nodiscard]] std::optional<std::string> read_lines(const net::Socket& socket, std::size_t count,
                                                    int stop_fd);
bool send_bytes(const net::Socket& socket, std::string_view data, int stop_fd);

[[nodiscard]] std::optional<Datagram> receive_from(const net::Socket& socket, int stop_fd);
bool send_to(const net::Socket& socket, std::string_view payload, const net::Endpoint& to);

// Every byte value 0..255, `repeat` times over: binary-safety payloads (CLI-1).
[[nodiscard]] std::string all_byte_values(std::size_t repeat);

}  // namespace sockspec::testing
