// What the step tests share: a scenario run through run_case against a --connect style target,
// and the small in-test peers it talks to (TCP scripts, a UDP echo).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/case_runner.hpp"
#include "targets/net/acceptor.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/socket.hpp"
#include "targets/testing/scripted_peers.hpp"

namespace sockspec::engine::step_tests {

// What a case run came to.
struct Ran {
  Verdict verdict;
  std::string reason;
  std::optional<Failure> failure;
  std::vector<TranscriptEntry> transcript;
};

// Loads `yaml` as case.yaml and runs it against `server` over IPv4; `exchanges`: a profile's
// exchanges block, for scenarios that use the exchange step. A file that does not load is a
// test failure (verdict error).
Ran run_yaml(const std::string& yaml, const net::Endpoint& server,
             const std::string& exchanges = {});

// A scenario's header up to `steps:`, needing `needs` ("tcp", "udp"), over IPv4 only.
std::string header(const std::string& needs);

// What a TCP peer does with each connection: `serve(socket, stop_fd)`.
using Serve = std::function<void(net::Socket&, int)>;

// Serves every connection with a Serve on its own thread.
class TcpPeer {
 public:
  explicit TcpPeer(Serve serve);
  [[nodiscard]] const net::Endpoint& endpoint() const { return endpoint_; }

 private:
  net::Acceptor acceptor_;
  net::Endpoint endpoint_;
  sockspec::testing::PeerThread thread_;
};

// Sends back what it reads, until EOF or 10 s of silence.
void echo(net::Socket& s, int stop_fd);
// As echo, but a read after which `close_instead(fd)` holds is not answered: the connection ends.
void echo_unless(net::Socket& s, int stop_fd, const std::function<bool(int fd)>& close_instead);
// Holds the connection open, reading nothing, until the test ends (at most 20 s).
void hold_open(net::Socket& s, int stop_fd);
// Sends `bytes`, then holds the connection open.
Serve say_then_hold(std::string bytes);
// Sends `bytes`, then closes (FIN).
Serve say_then_close(std::string bytes);
// Resets the connection at once (SO_LINGER 0, close).
void reset_at_once(net::Socket& s, int stop_fd);

// A UDP peer that answers each datagram with its payload, from another socket when
// `from_other_socket`.
class UdpEcho {
 public:
  explicit UdpEcho(bool from_other_socket);
  [[nodiscard]] const net::Endpoint& endpoint() const { return endpoint_; }

 private:
  net::Socket socket_;
  net::Endpoint endpoint_;
  sockspec::testing::PeerThread thread_;
};

}  // namespace sockspec::engine::step_tests
