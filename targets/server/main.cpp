// sockspec-server: the reference TCP/UDP server, every concurrency model behind one CLI.
// Exit codes (docs/architecture.md): 0 clean stop, 1 other error, 2 bad arguments, 3 cannot bind.
#include <signal.h>

#include <optional>

#include "targets/net/signal_pipe.hpp"
#include "targets/proto/service.hpp"
#include "targets/server/listeners.hpp"
#include "targets/server/log.hpp"
#include "targets/server/model.hpp"
#include "targets/server/options.hpp"

namespace {

constexpr int kExitOther = 1;
constexpr int kExitCannotBind = 3;  // kExitUsage (2): options.hpp

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec;
  server::ServerOptions options;
  if (const std::optional<int> end = server::parse_server_command_line(argc, argv, options)) {
    return *end;
  }

  const auto service = proto::make_service(options.service);
  // Signals first: a SIGTERM that arrives right after READY must stop us cleanly, not kill us.
  net::ignore_sigpipe();
  auto stop = net::SignalPipe::install({SIGTERM, SIGINT});
  if (!stop) {
    server::log_line("{}", stop.error().message);
    return kExitOther;
  }
  auto listeners = server::open_listeners(options);
  if (!listeners) {
    server::log_line("cannot serve: {}", listeners.error().message);
    return kExitCannotBind;
  }
  if (auto s = net::announce_ready(listeners->ready_entries()); !s) {
    server::log_line("{}", s.error().message);
    return kExitOther;
  }
  server::ServerContext ctx{*listeners, *service, *stop, options.max_clients};
  return server::run_model(options.model, ctx);
}
