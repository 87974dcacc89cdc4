// The requirement table: the built-in requirements (IDs, levels, what they apply to, their
// sentences) and those packs declare.
#include "harness/scenario/requirements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>

#include "targets/proto/service.hpp"

namespace sockspec::scenario {
namespace {

using enum Level;
using enum Side;

const std::vector<RequirementInfo>& builtin() {
  // SVC rows name a service instead of an "Applies to" column: the service is the capability.
  static const std::vector<RequirementInfo> kTable = {
      {"EPH-1",
       must,
       server,
       {},
       "Asked for port 0, the server binds a port the kernel chooses and reports it: non-zero, the "
       "port it really has bound, inside the kernel's ephemeral range."},
      {"EPH-2",
       must,
       server,
       {},
       "Two instances started at once with port 0 get distinct ports and both serve."},
      {"EPH-3",
       must,
       server,
       {"tcp"},
       "Stopped and restarted on the same explicit port, the server binds again at once, even with "
       "connections left in TIME_WAIT."},
      {"EPH-4",
       must,
       server,
       {},
       "Asked for a port another process holds, the server exits non-zero within 2 s with a "
       "message naming the address; it never binds elsewhere silently and never shares the port."},
      {"EPH-5",
       must,
       server,
       {},
       "Bound to one address the server serves there and only there; bound to the wildcard it "
       "serves every local address of that family."},
      {"EPH-6",
       must,
       server,
       {"dual-transport"},
       "Asked for TCP and UDP with port 0, the server serves both on one port number."},
      {"ACC-1",
       must,
       server,
       {"tcp"},
       "Readiness is truthful: once the server says it is ready, a connect succeeds at once."},
      {"ACC-2",
       must,
       server,
       {"tcp"},
       "The server keeps accepting: 200 sequential connections are each served."},
      {"ACC-3",
       must,
       server,
       {"tcp"},
       "A client that connects and closes (or resets) without sending does not stop, crash or "
       "wedge the server."},
      {"ACC-4",
       must,
       server,
       {"tcp"},
       "A burst of 64 connects at once is all accepted and served within 1 s."},
      {"ACC-5",
       must,
       server,
       {"tcp"},
       "What accept returned is the peer: the server knows each client's own address and port."},
      {"ACC-6",
       must,
       server,
       {"tcp"},
       "After 500 connections have come and gone, the server's open descriptors, threads and child "
       "processes are back to their baseline."},
      {"ACC-7",
       must,
       server,
       {"tcp"},
       "When the server closes a connection, the client sees EOF promptly (no other process keeps "
       "the socket open)."},
      {"STR-1",
       must,
       server,
       {"tcp", "echo"},
       "Echo returns exactly the bytes sent, in order, whatever the segmentation."},
      {"STR-2",
       must,
       server,
       {"tcp"},
       "The server is binary safe: all 256 byte values, NUL and invalid UTF-8 included."},
      {"STR-3",
       must,
       server,
       {"tcp"},
       "After the client's shutdown(SHUT_WR) the server still sends all it owes, then closes; the "
       "client reads every byte, then EOF."},
      {"STR-4",
       must,
       server,
       {"tcp"},
       "Short writes are finished: a 16 MiB reply to a client that reads slowly arrives whole."},
      {"STR-5",
       must,
       server,
       {"tcp"},
       "A peer that resets while the server is writing does not kill or wedge the server (SIGPIPE, "
       "EPIPE, ECONNRESET)."},
      {"STR-6",
       must,
       server,
       {"tcp"},
       "A peer at EOF costs nothing: a half-closed or idle connection adds no CPU time to the "
       "server (under 50 ms over 1 s)."},
      {"STR-7",
       must,
       server,
       {"tcp"},
       "A client that stops reading does not make the server's memory grow without bound (under 64 "
       "MiB while 256 MiB are offered)."},
      {"STR-8",
       should,
       server,
       {"tcp"},
       "An idle connection is not closed by the server within 10 s."},
      {"DGR-1", must, server, {"udp"}, "The reply goes to the request's source address and port."},
      {"DGR-2",
       should,
       server,
       {"udp"},
       "The reply comes from the address and port the request was sent to."},
      {"DGR-3",
       must,
       server,
       {"udp", "echo"},
       "Datagram boundaries are kept: each datagram of 1 to 1472 bytes comes back as one datagram "
       "with exactly its bytes."},
      {"DGR-7",
       should,
       server,
       {"udp", "echo"},
       "Boundaries are kept for a 0-byte datagram and for the largest (65507 bytes over IPv4, "
       "65527 over IPv6) too."},
      {"DGR-4",
       must,
       server,
       {"udp"},
       "Datagrams from 50 clients at once, each with its own payload, each get their own answers "
       "and no one else's."},
      {"DGR-5",
       must,
       server,
       {"udp"},
       "A burst of 64 small datagrams from one client is all answered."},
      {"DGR-6",
       must,
       server,
       {"udp"},
       "The server keeps serving after a reply went to a port that no longer exists and after a "
       "datagram it cannot parse."},
      {"CON-1",
       must,
       server,
       {"concurrent"},
       "A stalled client (connected, silent, or mid-request) does not delay another client's "
       "exchange beyond 100 ms."},
      {"CON-2",
       must,
       server,
       {},
       "50 clients at once, each with its own payload, each receive exactly their own bytes "
       "(beyond a declared max-clients, clients wait and are served as others leave)."},
      {"CON-3",
       must,
       server,
       {"processes"},
       "Children are reaped: no zombie remains 1 s after its client left."},
      {"CON-4",
       must,
       server,
       {"threads"},
       "Threads end with their clients: the thread count returns to its baseline."},
      {"CON-5",
       must,
       server,
       {},
       "One client's reset or crash does not disturb the other clients' exchanges."},
      {"CON-6",
       must,
       server,
       {"graceful-stop"},
       "On SIGTERM or SIGINT the server stops accepting, ends or drops open exchanges, reaps its "
       "children and exits 0 within 2 s, also with clients connected."},
      {"CLI-1",
       must,
       client,
       {},
       "The client connects (TCP) or sends (UDP) to the given IPv4 or IPv6 address, prints the "
       "reply to stdout byte for byte and exits 0."},
      {"CLI-2",
       must,
       client,
       {"tcp"},
       "The client reads the whole reply: a reply that arrives late and in many pieces (within the "
       "timeout) is printed whole."},
      {"CLI-3",
       must,
       client,
       {},
       "The client's exit code says what happened (0 ok, 2 bad arguments, 3 refused, 4 timeout, 5 "
       "closed early, 1 other), with a one-line reason on stderr."},
      {"CLI-4",
       must,
       client,
       {},
       "With a server that never answers, the client exits 4 within its timeout plus 0.5 s."},
      {"CLI-5",
       must,
       client,
       {"udp"},
       "The client ignores datagrams that do not come from the server's address and port, retries "
       "on timeout as configured, and exits 4 when no valid reply came."},
      {"CLI-6",
       must,
       client,
       {},
       "The client's local port is ephemeral (kernel-chosen): 20 clients at once do not collide."},
      {"SVC-1",
       must,
       server,
       {"echo"},
       "Echo (RFC 862): over TCP every byte received is sent back until the client closes; over "
       "UDP each datagram is sent back."},
      {"SVC-2",
       must,
       server,
       {"discard"},
       "Discard (RFC 863): everything is read and dropped and nothing is ever sent; a TCP "
       "connection closes after the client closes."},
      {"SVC-3",
       must,
       server,
       {"daytime"},
       "Daytime (RFC 867): one line of printable ASCII with the current date and time (the year, "
       "and the time to the minute) per connection or datagram."},
      {"SVC-4",
       must,
       server,
       {"chargen"},
       "Chargen (RFC 864): over TCP printable ASCII lines flow until the client closes, input "
       "ignored; over UDP each datagram is answered with one datagram of printable ASCII."},
      {"SVC-6",
       should,
       server,
       {"chargen"},
       "Chargen's data is RFC 864's recommended rotating pattern, and a UDP answer holds 0 to 512 "
       "characters."},
      {"SVC-5",
       must,
       server,
       {"line"},
       "The line service answers each request line (PING, ECHO, LEN, WHOAMI, TIME, QUIT) with one "
       "+reply or -ERR line, in order, and malformed input never ends the server."},
  };
  return kTable;
}

// Transports, families and concurrency, then the services (proto::kServiceNames), then lifecycle.
constexpr std::string_view kSocketCapabilities[] = {
    "tcp", "udp", "ipv4", "ipv6", "dual-transport", "concurrent", "threads", "processes"};
constexpr std::string_view kLifecycleCapabilities[] = {"graceful-stop", "lifecycle"};
constexpr auto kCapabilities = [] {
  std::array<std::string_view, std::size(kSocketCapabilities) + std::size(proto::kServiceNames) +
                                   std::size(kLifecycleCapabilities)>
      all{};
  auto out = std::copy(std::begin(kSocketCapabilities), std::end(kSocketCapabilities), all.begin());
  out = std::copy(std::begin(proto::kServiceNames), std::end(proto::kServiceNames), out);
  std::copy(std::begin(kLifecycleCapabilities), std::end(kLifecycleCapabilities), out);
  return all;
}();

// What declare_requirement() added: owned declarations, and the table that views them.
struct Tables {
  std::deque<DeclaredRequirement> declared;
  std::deque<RequirementInfo> all{builtin().begin(), builtin().end()};
};

Tables& tables() {
  static Tables t;
  return t;
}

bool same_content(const DeclaredRequirement& a, const DeclaredRequirement& b) {
  return a.id == b.id && a.level == b.level && a.side == b.side &&
         a.capabilities == b.capabilities && a.text == b.text;
}

}  // namespace

std::span<const RequirementInfo> builtin_requirements() {
  return builtin();
}

const std::deque<RequirementInfo>& all_requirements() {
  return tables().all;
}

const RequirementInfo* find_requirement(std::string_view id) {
  const auto& t = tables().all;
  const auto it =
      std::find_if(t.begin(), t.end(), [&](const RequirementInfo& r) { return r.id == id; });
  return it == t.end() ? nullptr : &*it;
}

net::Status declare_requirement(DeclaredRequirement r) {
  Tables& t = tables();
  const auto at = [](const SourceLocation& w) {
    return fmt::format("{}:{}:{}", w.file, w.line, w.column);
  };
  for (const DeclaredRequirement& d : t.declared) {
    if (d.id != r.id) continue;
    if (same_content(d, r)) return {};
    return net::Error{fmt::format("{}: requirement '{}' is declared differently in {}", at(r.where),
                                  r.id, at(d.where))};
  }
  if (find_requirement(r.id) != nullptr) {
    return net::Error{
        fmt::format("{}: '{}' is a built-in requirement: choose another ID", at(r.where), r.id)};
  }
  const DeclaredRequirement& d = t.declared.emplace_back(std::move(r));
  RequirementInfo info{d.id, d.level, d.side, {}, d.text};
  info.capabilities.assign(d.capabilities.begin(), d.capabilities.end());
  t.all.push_back(std::move(info));
  return {};
}

std::span<const std::string_view> all_capabilities() {
  return kCapabilities;
}

bool is_capability(std::string_view name) {
  return std::find(kCapabilities.begin(), kCapabilities.end(), name) != kCapabilities.end();
}

bool is_exchange_need(std::string_view name) {
  return std::find(std::begin(kExchangeNeeds), std::end(kExchangeNeeds), name) !=
         std::end(kExchangeNeeds);
}

bool is_launch_need(std::string_view name) {
  return std::find(std::begin(kLaunchNeeds), std::end(kLaunchNeeds), name) !=
         std::end(kLaunchNeeds);
}

}  // namespace sockspec::scenario
