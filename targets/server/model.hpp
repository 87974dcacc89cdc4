// The concurrency models: each serves the same listeners and service, differing only in how
// clients are run side by side. `--model` picks one through run_model().
#pragma once

#include <cstddef>
#include <string_view>

#include "targets/net/signal_pipe.hpp"
#include "targets/proto/service.hpp"
#include "targets/server/listeners.hpp"

namespace sockspec::server {

inline constexpr std::string_view kModelNames[] = {"iterative", "threads", "processes", "epoll"};

struct ServerContext {
  Listeners& listeners;
  const proto::Service& service;
  net::SignalPipe& stop;    // readable once SIGTERM/SIGINT arrived
  std::size_t max_clients;  // most connections or datagram workers at once
};

// Each returns the process exit code: 0 after a clean stop, 1 when serving failed.
int run_iterative(ServerContext& ctx);
int run_threads(ServerContext& ctx);
int run_processes(ServerContext& ctx);
int run_epoll(ServerContext& ctx);

// Runs the model named `name` (one of kModelNames).
int run_model(std::string_view name, ServerContext& ctx);

}  // namespace sockspec::server
