// The command line of sockspec-server: one options struct and the function that declares it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;  // CLI11 is slow to compile: only the files that parse flags include it
}

namespace sockspec::server {

struct ServerOptions {
  std::string model = "epoll";
  std::string service = "echo";
  bool tcp = true;
  bool udp = false;
  std::vector<std::string> bind = {"127.0.0.1"};
  std::uint16_t port = 0;
  std::size_t max_clients = 512;
};

// Declares every flag on `app`, writing into `options`; CLI11 validates values, and a parse
// error prints the message, a usage line and a pointer to --help.
void add_server_options(CLI::App& app, ServerOptions& options);

}  // namespace sockspec::server
