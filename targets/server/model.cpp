// The model factory: a name to a run function.
#include "targets/server/model.hpp"

namespace sockspec::server {

int run_model(std::string_view name, ServerContext& ctx) {
  if (name == "iterative") return run_iterative(ctx);
  if (name == "threads") return run_threads(ctx);
  if (name == "processes") return run_processes(ctx);
  return run_epoll(ctx);
}

}  // namespace sockspec::server
