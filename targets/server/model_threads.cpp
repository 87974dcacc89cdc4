// Threads model: a thread per TCP connection and per UDP datagram (Stevens' serv06), at most
// --max-clients at once; finished threads are joined by the main loop.
#include "targets/server/listener_poll.hpp"
#include "targets/server/log.hpp"
#include "targets/server/model.hpp"
#include "targets/server/serve.hpp"
#include "targets/server/worker_set.hpp"

namespace sockspec::server {

int run_threads(ServerContext& ctx) {
  WorkerSet workers(ctx.max_clients);
  ListenerPoll poll(ctx, workers.wake_fd());
  for (;;) {
    auto ready = poll.wait(workers.has_room());
    if (!ready) {
      log_line("{}", ready.error().message);
      return 1;
    }
    if (ready->stop) return 0;  // ~WorkerSet joins: every worker sees the stop pipe too
    if (ready->wake) workers.reap();
    for (net::Acceptor* acceptor : ready->tcp) {
      if (!workers.has_room()) break;
      auto client = acceptor->accept(false);
      if (!client) {
        log_line("{}", client.error().message);
        return 1;
      }
      if (!*client) continue;
      workers.spawn([&ctx, c = std::move(**client)]() mutable {
        serve_connection(std::move(c), ctx.service, ctx.stop.fd());
      });
    }
    for (const net::Socket* socket : ready->udp) {
      for_each_datagram(
          *socket,
          [&](net::Datagram request) {
            workers.spawn([&ctx, socket, r = std::move(request)] {
              answer_datagram(*socket, r, ctx.service);
            });
          },
          workers.room());
    }
  }
}

}  // namespace sockspec::server
