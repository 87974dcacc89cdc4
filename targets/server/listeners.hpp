// Opening every socket the server was asked for, all on one port number, and reporting them.
#pragma once

#include <vector>

#include "targets/net/acceptor.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/ready.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"
#include "targets/server/options.hpp"

namespace sockspec::server {

struct Listeners {
  std::vector<net::Acceptor> tcp;  // listening, non-blocking
  std::vector<net::Socket> udp;    // bound, non-blocking, reporting destination addresses

  // In a forked child: closes every listener but the UDP socket `keep_fd` (if it is one), so the
  // child holds no listening socket the parent may need to give up (EPH-3).
  void close_all_except(int keep_fd);

  // One READY entry per socket, TCP first, in --bind order.
  [[nodiscard]] std::vector<net::ReadyEntry> ready_entries() const;
};

// Binds TCP and/or UDP on every --bind address. With --port 0 the first socket gets a port from
// the kernel and all others bind that same number (EPH-6); if another program holds it on one
// of them, the whole set is tried again with a new port (a bounded number of times).
// Errors name the address: "bind 127.0.0.1:7: Address already in use (EADDRINUSE)".
[[nodiscard]] net::Result<Listeners> open_listeners(const ServerOptions& options);

}  // namespace sockspec::server
