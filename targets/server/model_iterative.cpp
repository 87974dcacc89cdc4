// Iterative model: one client at a time, in the main thread (Stevens' serv00). A TCP client is
// served to the end before the next is accepted, so this model is not `concurrent`.
#include "targets/server/listener_poll.hpp"
#include "targets/server/log.hpp"
#include "targets/server/model.hpp"
#include "targets/server/serve.hpp"

namespace sockspec::server {

int run_iterative(ServerContext& ctx) {
  ListenerPoll poll(ctx);
  for (;;) {
    auto ready = poll.wait(true);
    if (!ready) {
      log_line("{}", ready.error().message);
      return 1;
    }
    if (ready->stop) return 0;
    for (net::Acceptor* acceptor : ready->tcp) {
      auto client = acceptor->accept(false);
      if (!client) {
        log_line("{}", client.error().message);
        return 1;
      }
      if (*client) serve_connection(std::move(**client), ctx.service, ctx.stop.fd());
    }
    for (const net::Socket* socket : ready->udp) {
      for_each_datagram(
          *socket, [&](net::Datagram request) { answer_datagram(*socket, request, ctx.service); });
    }
  }
}

}  // namespace sockspec::server
