// Binding listeners: address parsing, socket options, one shared port number.
#include "targets/server/listeners.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace sockspec::server {
namespace {

// How many fresh ephemeral ports to try when one is taken on a second address or transport.
constexpr int kPortAttempts = 32;

net::Result<net::Socket> open_tcp(const net::Endpoint& where) {
  auto socket = net::Socket::tcp(where.family());
  if (!socket) return socket.error();
  // SO_REUSEADDR lets a restarted server bind while connections linger in TIME_WAIT (EPH-3);
  // on Linux it never lets two listeners share a port, so EPH-4 still holds.
  if (auto s = socket->set_reuse_address(); !s) return s.error();
  if (where.is_ipv6()) {
    if (auto s = socket->set_ipv6_only(); !s) return s.error();
  }
  if (auto s = socket->bind(where); !s) return s.error();
  // SOMAXCONN: a burst of clients waits in the backlog instead of retransmitting SYNs (ACC-4).
  if (auto s = socket->listen(SOMAXCONN); !s) return s.error();
  if (auto s = socket->set_nonblocking(true); !s) return s.error();
  return socket;
}

net::Result<net::Socket> open_udp(const net::Endpoint& where) {
  auto socket = net::Socket::udp(where.family());
  if (!socket) return socket.error();
  if (where.is_ipv6()) {
    if (auto s = socket->set_ipv6_only(); !s) return s.error();
  }
  if (auto s = net::enable_destination_info(*socket, where.family()); !s) return s.error();
  if (auto s = socket->bind(where); !s) return s.error();
  if (auto s = socket->set_nonblocking(true); !s) return s.error();
  return socket;
}

// One attempt at binding everything on `port` (0: let the kernel pick for the first socket).
net::Result<Listeners> try_open(const std::vector<net::Endpoint>& hosts, bool tcp, bool udp,
                                std::uint16_t port) {
  Listeners out;
  auto bind_one = [&](const net::Endpoint& host, bool is_tcp) -> net::Status {
    auto socket = is_tcp ? open_tcp(host.with_port(port)) : open_udp(host.with_port(port));
    if (!socket) return socket.error();
    if (port == 0) {
      auto local = socket->local_endpoint();
      if (!local) return local.error();
      port = local->port();
    }
    if (is_tcp) {
      out.tcp.emplace_back(std::move(*socket));
    } else {
      out.udp.push_back(std::move(*socket));
    }
    return {};
  };
  for (const bool is_tcp : {true, false}) {
    if ((is_tcp && !tcp) || (!is_tcp && !udp)) continue;
    for (const auto& host : hosts) {
      if (auto s = bind_one(host, is_tcp); !s) return s.error();
    }
  }
  return out;
}

}  // namespace

void Listeners::close_all_except(int keep_fd) {
  tcp.clear();  // a child never accepts
  // In place, not erased: the caller may hold a pointer to the socket it keeps.
  for (auto& s : udp) {
    if (s.fd() != keep_fd) s = net::Socket();
  }
}

std::vector<net::ReadyEntry> Listeners::ready_entries() const {
  std::vector<net::ReadyEntry> entries;
  for (const auto& a : tcp) {
    if (auto e = a.socket().local_endpoint()) entries.push_back({"tcp", *e});
  }
  for (const auto& s : udp) {
    if (auto e = s.local_endpoint()) entries.push_back({"udp", *e});
  }
  return entries;
}

net::Result<Listeners> open_listeners(const ServerOptions& options) {
  std::vector<net::Endpoint> hosts;
  for (const auto& text : options.bind) {
    auto host = net::Endpoint::from_host(text, 0);
    if (!host) return host.error();
    hosts.push_back(*host);
  }
  const bool shared_ephemeral =
      options.port == 0 && (hosts.size() > 1 || (options.tcp && options.udp));
  const int attempts = shared_ephemeral ? kPortAttempts : 1;
  for (int i = 1;; ++i) {
    auto listeners = try_open(hosts, options.tcp, options.udp, options.port);
    // Only a clash on a port the kernel chose for us is worth another try; anything else
    // (an explicit port in use, a bad address) is the user's to fix (EPH-4).
    if (listeners || i >= attempts || listeners.error().code != EADDRINUSE) return listeners;
  }
}

}  // namespace sockspec::server
