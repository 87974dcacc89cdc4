// Blocking connection loop and datagram answer, shared by the iterative, threads and
// processes models (epoll drives Connection itself).
#include "targets/server/serve.hpp"

#include <poll.h>

#include "targets/net/io.hpp"
#include "targets/server/connection.hpp"
#include "targets/server/log.hpp"

namespace sockspec::server {

void serve_connection(net::Accepted client, const proto::Service& service, int stop_fd) {
  if (auto s = client.socket.set_nonblocking(true); !s) {
    log_line("{}", s.error().message);
    return;
  }
  Connection connection(std::move(client.socket),
                        service.open_session(proto::Context{client.peer.to_string()}));
  connection.open();
  while (!connection.finished()) {
    auto timeout = std::chrono::milliseconds(-1);
    if (connection.lingering()) {
      timeout = std::chrono::ceil<std::chrono::milliseconds>(connection.linger_deadline() -
                                                             std::chrono::steady_clock::now());
      timeout = std::max(timeout, std::chrono::milliseconds(0));
    }
    const auto w = net::wait_for(connection.fd(), connection.interest(), stop_fd, timeout);
    switch (w.outcome) {
      case net::WaitOutcome::kReady:
        connection.on_events(w.revents);
        break;
      case net::WaitOutcome::kTimeout:
        connection.on_timeout();
        break;
      case net::WaitOutcome::kStopped:  // the server is stopping: drop the connection
        return;
      case net::WaitOutcome::kError:
        log_line("{}", net::errno_error(w.error, "poll").message);
        return;
    }
  }
}

void answer_datagram(const net::Socket& socket, const net::Datagram& request,
                     const proto::Service& service) {
  const auto reply =
      service.datagrams().answer(request.payload, proto::Context{request.peer.to_string()});
  if (!reply) return;
  // A lost reply is UDP's normal life (full buffer, peer gone): log it and carry on (DGR-6).
  if (auto s = net::send_reply(socket, proto::as_bytes(*reply), request); !s) {
    log_line("{}", s.error().message);
  }
}

}  // namespace sockspec::server
