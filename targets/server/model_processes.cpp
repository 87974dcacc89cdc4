// Processes model: a child process per TCP connection and per UDP datagram (Stevens' serv01),
// at most --max-clients at once. The parent closes its copy of each accepted socket at once,
// so the client sees EOF when the child closes (ACC-7), and reaps children on SIGCHLD (CON-3).
#include <signal.h>

#include "targets/server/child_set.hpp"
#include "targets/server/listener_poll.hpp"
#include "targets/server/log.hpp"
#include "targets/server/model.hpp"
#include "targets/server/serve.hpp"

namespace sockspec::server {
namespace {

// How long children get to finish after SIGTERM before SIGKILL; CON-6 allows 2 s in all.
constexpr std::chrono::milliseconds kStopGrace{1500};

}  // namespace

int run_processes(ServerContext& ctx) {
  auto child_ended = net::SignalPipe::install({SIGCHLD});
  if (!child_ended) {
    log_line("{}", child_ended.error().message);
    return 1;
  }
  ChildSet children(ctx.max_clients);
  ListenerPoll poll(ctx, child_ended->fd());
  for (;;) {
    auto ready = poll.wait(children.has_room());
    if (!ready) {
      log_line("{}", ready.error().message);
      return 1;
    }
    if (ready->stop) break;
    if (ready->wake) {
      child_ended->drain();
      children.reap();
    }
    for (net::Acceptor* acceptor : ready->tcp) {
      if (!children.has_room()) break;
      auto client = acceptor->accept(false);
      if (!client) {
        log_line("{}", client.error().message);
        return 1;
      }
      if (!*client) continue;
      const int client_fd = (*client)->socket.fd();
      auto forked = children.spawn([&] {
        ctx.listeners.close_all_except(client_fd);
        serve_connection(std::move(**client), ctx.service, ctx.stop.fd());
      });
      if (!forked) log_line("{}", forked.error().message);
      // Leaving this scope closes the parent's copy of the accepted socket.
    }
    for (const net::Socket* socket : ready->udp) {
      for_each_datagram(
          *socket,
          [&](net::Datagram request) {
            auto forked = children.spawn([&] {
              ctx.listeners.close_all_except(socket->fd());
              answer_datagram(*socket, request, ctx.service);
            });
            if (!forked) log_line("{}", forked.error().message);
          },
          children.room());
    }
  }
  children.stop_all(kStopGrace);
  return 0;
}

}  // namespace sockspec::server
