// An echo server (TCP and UDP) with five planted bugs, for the fuzzer's tests: it aborts when
// it receives "CRASH", stops answering a connection (or drops the datagram) holding "HANG",
// flips a bit of the echo of the data holding "FLIP", answers a datagram holding "TWICE"
// twice, and after "MUTE" answers nobody any more (it still accepts and reads: alive, but no
// longer speaking its protocol). Usage: fuzz_victim HOST TRANSPORTS
// ("tcp", "udp" or "tcp,udp"). Prints READY lines; ends by itself after 60 s (alarm).
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "targets/net/acceptor.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"
#include "targets/net/ready.hpp"
#include "targets/net/signal_pipe.hpp"
#include "targets/net/socket.hpp"
#include "targets/net/sys.hpp"

namespace {

using namespace sockspec;

constexpr std::size_t kMaxHung = 64;  // hung connections kept open (the oldest closed beyond)
bool g_muted = false;                 // "MUTE" was received: nothing is answered any more

struct Connection {
  net::Socket socket;
  std::string carry;  // the last bytes received, so a trigger split across reads is seen
  bool hung = false;
};

// What the bytes in `window` ask for; `abort()`s on CRASH.
struct Triggers {
  bool hang = false;
  bool flip = false;
  bool twice = false;
};

Triggers look_at(std::string_view window) {
  if (window.find("CRASH") != std::string_view::npos) {
    std::fputs("fuzz_victim: CRASH received, aborting\n", stderr);
    std::abort();
  }
  if (window.find("MUTE") != std::string_view::npos) g_muted = true;
  return {window.find("HANG") != std::string_view::npos,
          window.find("FLIP") != std::string_view::npos,
          window.find("TWICE") != std::string_view::npos};
}

void flip_first(std::string& data) {
  if (!data.empty()) data[0] = static_cast<char>(data[0] ^ 1);
}

// Reads once from `c`; false when it is done with (EOF or error).
bool serve(Connection& c) {
  char buffer[65536];
  const net::IoResult r =
      net::recv_some(c.socket.fd(), {reinterpret_cast<std::byte*>(buffer), sizeof buffer});
  if (r.outcome == net::IoOutcome::kWouldBlock) return true;
  if (r.outcome != net::IoOutcome::kData) return false;
  std::string data(buffer, r.bytes);
  const std::string window = c.carry + data;
  c.carry = window.substr(window.size() > 4 ? window.size() - 4 : 0);
  const Triggers t = look_at(window);
  if (g_muted) return true;
  if (t.hang) {
    c.hung = true;
    return true;
  }
  if (t.flip) flip_first(data);
  const net::IoResult w =
      net::send_all(c.socket.fd(), std::as_bytes(std::span(data)), -1, std::chrono::seconds(2));
  return w.outcome == net::IoOutcome::kData;
}

void serve_datagram(const net::Socket& udp) {
  for (;;) {
    net::Result<std::optional<net::Datagram>> got = net::receive_datagram(udp);
    if (!got || !*got) return;
    net::Datagram& d = **got;
    std::string data(reinterpret_cast<const char*>(d.payload.data()), d.payload.size());
    const Triggers t = look_at(data);
    if (t.hang || g_muted) continue;
    if (t.flip) flip_first(data);
    (void)net::send_reply(udp, std::as_bytes(std::span(data)), d);
    if (t.twice) (void)net::send_reply(udp, std::as_bytes(std::span(data)), d);
  }
}

}  // namespace

int main(int argc, char** argv) {
  ::alarm(60);
  if (argc != 3) {
    std::fputs("usage: fuzz_victim HOST TRANSPORTS\n", stderr);
    return 2;
  }
  net::ignore_sigpipe();
  const std::string transports = argv[2];
  net::Result<net::Endpoint> where = net::Endpoint::from_host(argv[1], 0);
  if (!where) return 2;
  std::optional<net::Acceptor> acceptor;
  net::Socket udp;
  std::vector<net::ReadyEntry> ready;
  if (transports.find("tcp") != std::string::npos) {
    net::Result<net::Socket> s = net::Socket::tcp(where->family());
    if (!s || !s->bind(*where) || !s->listen(128) || !s->set_nonblocking(true)) return 3;
    ready.push_back({"tcp", *s->local_endpoint()});
    acceptor.emplace(std::move(s).value());
  }
  if (transports.find("udp") != std::string::npos) {
    net::Result<net::Socket> s = net::Socket::udp(where->family());
    const net::Endpoint at = ready.empty() ? *where : where->with_port(ready[0].endpoint.port());
    if (!s || !s->bind(at) || !s->set_nonblocking(true)) return 3;
    ready.push_back({"udp", *s->local_endpoint()});
    udp = std::move(s).value();
  }
  if (!net::announce_ready(ready)) return 1;
  std::vector<Connection> connections;
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    if (acceptor) fds.push_back({acceptor->fd(), POLLIN, 0});
    if (udp.valid()) fds.push_back({udp.fd(), POLLIN, 0});
    for (const Connection& c : connections) {
      fds.push_back({c.socket.fd(), static_cast<short>(c.hung ? 0 : POLLIN), 0});
    }
    if (net::sys::ops().poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
    std::size_t i = 0;
    if (acceptor && (fds[i++].revents & POLLIN) != 0) {
      net::Result<std::optional<net::Accepted>> a = acceptor->accept(true);
      if (a && *a) connections.push_back({std::move((*a)->socket), {}, false});
    }
    if (udp.valid() && (fds[i++].revents & POLLIN) != 0) serve_datagram(udp);
    std::vector<Connection> kept;
    std::size_t hung = 0;
    for (std::size_t k = 0; k < connections.size(); ++k) {
      Connection& c = connections[k];
      const short revents = i + k < fds.size() ? fds[i + k].revents : 0;
      if (revents != 0 && !c.hung && !serve(c)) continue;  // closed by the destructor
      hung += c.hung ? 1 : 0;
      if (c.hung && hung > kMaxHung) continue;
      kept.push_back(std::move(c));
    }
    connections = std::move(kept);
  }
}
