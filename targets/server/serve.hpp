// The work one client brings, written once for every model (Stevens' web_child()):
// serve a whole TCP connection, or answer one datagram.
#pragma once

#include "targets/net/acceptor.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/socket.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::server {

// Serves `client` until the session ends, the client leaves, or `stop_fd` becomes readable
// (then the connection is dropped). Blocks the calling thread; never throws.
void serve_connection(net::Accepted client, const proto::Service& service, int stop_fd);

// Answers one datagram on `socket`, from the address it was sent to, if the service answers.
void answer_datagram(const net::Socket& socket, const net::Datagram& request,
                     const proto::Service& service);

}  // namespace sockspec::server
