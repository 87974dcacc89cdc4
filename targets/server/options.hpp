// The command line of sockspec-server: one options struct and the function that parses it.
// CLI11 stays inside options.cpp: it is slow to compile, so one file of the program includes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// The exit code of bad arguments (docs/architecture.md).
inline constexpr int kExitUsage = 2;

// Parses the command line (argv[0] is the program) into `options`, every value validated.
// std::nullopt: run with them. Otherwise the program ends with the code returned, its output
// written: --help prints the help on stdout (0); a bad argument prints its reason, the usage
// line and a pointer to --help on stderr (kExitUsage).
[[nodiscard]] std::optional<int> parse_server_command_line(int argc, const char* const* argv,
                                                           ServerOptions& options);

}  // namespace sockspec::server
