// The UDP steps: bind, send-to, expect-datagram, expect-no-datagram.
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"
#include "harness/scenario/units.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine {

using scenario::Transport;
namespace step = scenario::step;

namespace {

std::string_view as_text(const std::vector<std::byte>& payload) {
  return {reinterpret_cast<const char*>(payload.data()), payload.size()};
}

std::span<const std::byte> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

// Waits for one datagram until `deadline`; std::nullopt on timeout. ICMP errors queued on the
// socket are skipped (receive_datagram drops them) while time is left.
std::optional<net::Datagram> next_datagram(const net::Socket& socket, Clock::time_point deadline,
                                           int stop_fd) {
  for (;;) {
    const net::WaitResult w = net::wait_for(socket.fd(), POLLIN, stop_fd, left(deadline));
    if (w.outcome == net::WaitOutcome::kStopped) throw Interrupted();
    if (w.outcome != net::WaitOutcome::kReady) return std::nullopt;
    net::Result<std::optional<net::Datagram>> d = net::receive_datagram(socket);
    if (d && d->has_value()) return std::move(*d.value());
  }
}

}  // namespace

void Executor::exec(const Step& st, const step::Bind& k) {
  const int af = family_af(k.family);
  const std::string host =
      k.local ? render(st, *k.local, vars()) : (af == AF_INET6 ? "::1" : "127.0.0.1");
  net::Result<net::Endpoint> where = net::Endpoint::from_host(host, k.port.value_or(0));
  if (!where) fail(st, "a local address to bind", where.error().message);
  net::Result<net::Socket> sock = net::Socket::udp(af);
  if (!sock) fail(st, "a UDP socket", sock.error().message);
  if (net::Status b = sock->bind(*where); !b) fail(st, "a bound UDP socket", b.error().message);
  if (net::Status nb = sock->set_nonblocking(true); !nb)
    fail(st, "non-blocking", nb.error().message);
  UdpPeer peer;
  peer.local = sock->local_endpoint() ? sock->local_endpoint()->to_string() : host;
  peer.socket = std::move(sock).value();
  s_.env.transcript.event(s_.label(k.as), "bound " + peer.local);
  s_.udp.insert_or_assign(k.as, std::move(peer));
}

void Executor::exec(const Step& st, const step::SendTo& k) {
  UdpPeer& peer = udp(st, k.on);
  const scenario::TemplateVars v = vars(k.on);
  net::Endpoint to = k.to == scenario::kTarget ? target_endpoint(st, Transport::udp) : [&] {
    net::Result<net::Endpoint> e = net::Endpoint::parse(render(st, k.to, v));
    if (!e) fail(st, "an address to send to", e.error().message);
    return std::move(e).value();
  }();
  const std::string bytes = bytes_of(st, k.data, v);
  if (net::Status s = net::send_datagram(peer.socket, as_bytes(bytes), to); !s) {
    fail(st, fmt::format("a datagram sent to {}", to.to_string()), s.error().message);
  }
  peer.last_sent = bytes;
  s_.env.transcript.sent(s_.label(k.on) + " -> " + to.to_string(), bytes);
}

void Executor::exec(const Step& st, const step::ExpectDatagram& k) {
  UdpPeer& peer = udp(st, k.on);
  const scenario::TemplateVars v = vars(k.on);
  const Expected want = expected_of(st, k.match, peer.last_sent, v);
  // The source it must come from; in the client role "target" is the client program, whose
  // address is not known in advance: any source is accepted.
  std::optional<net::Endpoint> from;
  if (k.from == scenario::kTarget) {
    if (s_.env.scenario().role == scenario::Role::server)
      from = target_endpoint(st, Transport::udp);
  } else if (k.from != "any") {
    net::Result<net::Endpoint> e = net::Endpoint::parse(render(st, k.from, v));
    if (!e) fail(st, "an address the datagram comes from", e.error().message);
    from = *e;
  }
  const std::string expected =
      from ? fmt::format("a datagram from {}: {}", from->to_string(), want.describe())
           : fmt::format("a datagram: {}", want.describe());
  std::optional<net::Datagram> d =
      next_datagram(peer.socket, Clock::now() + k.within, s_.env.stop_fd);
  if (!d) {
    fail(st, expected, fmt::format("no datagram within {}", scenario::format_duration(k.within)));
  }
  const std::string_view payload = as_text(d->payload);
  s_.env.transcript.received(s_.label(k.on) + " <- " + d->peer.to_string(), payload);
  peer.last_peer = d->peer;
  if (from && d->peer.to_string() != from->to_string()) {
    fail(st, expected,
         fmt::format("a datagram from {}: {}", d->peer.to_string(), show_bytes(payload)));
  }
  if (std::string observed = match_datagram(want, payload); !observed.empty()) {
    fail(st, expected, observed);
  }
}

void Executor::exec(const Step& st, const step::ExpectNoDatagram& k) {
  UdpPeer& peer = udp(st, k.on);
  std::optional<net::Datagram> d =
      next_datagram(peer.socket, Clock::now() + k.for_, s_.env.stop_fd);
  if (d) {
    const std::string_view payload = as_text(d->payload);
    s_.env.transcript.received(s_.label(k.on) + " <- " + d->peer.to_string(), payload);
    fail(st, fmt::format("no datagram for {}", scenario::format_duration(k.for_)),
         fmt::format("a datagram from {}: {}", d->peer.to_string(), show_bytes(payload)));
  }
}

}  // namespace sockspec::engine
