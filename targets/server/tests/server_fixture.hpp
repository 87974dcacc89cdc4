// Shared fixture of the sockspec-server integration tests: a real server per test, started on
// port 0 for one concurrency model and one address family, usable once its READY lines were
// read (never after a sleep), and stopped with SIGTERM at the end, where it must exit 0: a
// sanitizer report or a hang in any test shows up there.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "targets/net/endpoint.hpp"
#include "targets/net/socket.hpp"
#include "targets/testing/child_process.hpp"
#include "targets/testing/peers.hpp"

namespace sockspec::server::tests {

namespace st = sockspec::testing;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// One cell of the test matrix: --model x address family.
struct Variant {
  std::string model;
  std::string host;  // "127.0.0.1" or "::1"
};

// gtest prints a Variant as "epoll over ::1".
void PrintTo(const Variant& variant, std::ostream* os);

// Every model over IPv4 and IPv6.
[[nodiscard]] std::vector<Variant> all_variants();
// The models that serve clients side by side (the `concurrent` capability): all but iterative.
[[nodiscard]] std::vector<Variant> concurrent_variants();
// Test-name suffix: "epoll_ipv4", "threads_ipv6".
[[nodiscard]] std::string variant_name(const ::testing::TestParamInfo<Variant>& info);

// What to start; the model comes from the Variant.
struct Launch {
  std::string service = "echo";
  std::string transport = "tcp";   // the --transport value
  std::vector<std::string> binds;  // --bind values; empty: the Variant's host
  std::uint16_t port = 0;
  std::vector<std::string> extra;  // further arguments, e.g. {"--max-clients", "2"}
};

// Shorthand for a Launch (GCC warns about designated initializers that leave fields out).
[[nodiscard]] inline Launch launch(std::string service = "echo", std::string transport = "tcp",
                                   std::vector<std::string> binds = {}, std::uint16_t port = 0,
                                   std::vector<std::string> extra = {}) {
  return Launch{std::move(service), std::move(transport), std::move(binds), port, std::move(extra)};
}

// A local address of the family other than the loopback one the tests use (127.0.0.1, ::1),
// for EPH-5 and DGR-2: 127.0.0.2 over IPv4; over IPv6 a global address of some interface, if
// the machine has one (docs/requirements.md: otherwise the case is skipped).
[[nodiscard]] std::optional<std::string> second_local_address(bool ipv6);

// How many READY lines `launch` makes the server print (one per socket).
[[nodiscard]] std::size_t ready_count(const Launch& launch);
// The sockspec-server command line for `launch`.
[[nodiscard]] std::vector<std::string> server_argv(const std::string& model, const Launch& launch);

// A running server and what its READY lines said, in order.
struct StartedServer {
  st::ChildProcess process;
  std::vector<std::string> ready_lines;
  std::vector<net::Endpoint> tcp;
  std::vector<net::Endpoint> udp;
};

// Starts `argv` and reads `count` READY lines, waiting at most `timeout`. The error message
// carries the command line, what stdout said and the server's stderr.
[[nodiscard]] net::Result<StartedServer> start_server(const std::vector<std::string>& argv,
                                                      std::size_t count,
                                                      milliseconds timeout = 10s);

// Deterministic pseudo-random bytes (all 256 values occur), distinct for distinct seeds.
[[nodiscard]] std::string pattern(std::size_t size, std::uint32_t seed);

// Compares two large byte strings without printing megabytes: sizes and the first difference.
[[nodiscard]] ::testing::AssertionResult same_bytes(std::string_view got, std::string_view want);

// The current year (UTC) as four digits; daytime lines must contain it (SVC-3).
[[nodiscard]] std::string current_year();

// The RFC 864 chargen pattern (docs/requirements.md, SVC-6): bytes [offset, offset + count).
[[nodiscard]] std::string chargen_bytes(std::size_t offset, std::size_t count);
// Whether `got` is the chargen pattern from byte `offset` on, without building a copy.
[[nodiscard]] ::testing::AssertionResult is_chargen(std::string_view got, std::size_t offset);

// Reads and drops everything `socket` receives, as fast as it can, on its own thread, until
// EOF, reset or destruction; counts the bytes.
class Drain {
 public:
  explicit Drain(const net::Socket& socket);
  [[nodiscard]] std::size_t bytes() const { return bytes_.load(); }

 private:
  std::atomic<std::size_t> bytes_{0};
  std::jthread thread_;
};

class ServerTest : public ::testing::TestWithParam<Variant> {
 protected:
  // Stops the server (SIGTERM) unless the test did, expecting a clean exit 0; prints its
  // stderr when anything failed.
  void TearDown() override;

  // Starts the Variant's server; records a failure and returns false if it does not get ready.
  [[nodiscard]] bool start(const Launch& launch);

  // SIGTERM, then waits up to `timeout`; std::nullopt if it is still running.
  [[nodiscard]] std::optional<st::ExitStatus> stop(milliseconds timeout);

  [[nodiscard]] const Variant& variant() const { return GetParam(); }
  [[nodiscard]] bool ipv6() const { return variant().host == "::1"; }
  [[nodiscard]] bool concurrent() const { return variant().model != "iterative"; }
  [[nodiscard]] pid_t pid() const { return server_->process.pid(); }
  [[nodiscard]] StartedServer& server() { return *server_; }
  // The first TCP / UDP endpoint the server reported.
  [[nodiscard]] const net::Endpoint& tcp() const { return server_->tcp.at(0); }
  [[nodiscard]] const net::Endpoint& udp() const { return server_->udp.at(0); }

  // A connected blocking TCP socket to tcp(); an invalid Socket (and a failure) if not.
  [[nodiscard]] net::Socket connect() const;
  // A UDP socket of the server's family; an invalid Socket (and a failure) if not.
  [[nodiscard]] net::Socket udp_client() const;

 private:
  std::optional<StartedServer> server_;
  bool stopped_ = false;
};

}  // namespace sockspec::server::tests
