// The command line of sockspec-client: one options struct and the function that parses it.
// CLI11 stays inside options.cpp: it is slow to compile, so one file of the program includes it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "targets/net/endpoint.hpp"

namespace sockspec::client {

enum class Transport { kTcp, kUdp };

struct ClientOptions {
  Transport transport = Transport::kTcp;
  net::Endpoint server;                // --connect, required
  std::optional<std::string> message;  // --message; std::nullopt: read all of stdin
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
  unsigned retries = 2;  // UDP: resends after the first attempt
  bool lines = false;
};

// The command line, parsed. Good arguments: `options` is set. --help: `help` holds the text to
// print on stdout (exit 0). A bad argument: `reason` is its one-line reason, such as
// "--timeout: invalid duration '5': expected ..." (exit 2, with the usage line).
struct ClientCommandLine {
  std::optional<ClientOptions> options;
  std::string help;
  std::string reason;
};
[[nodiscard]] ClientCommandLine parse_client_command_line(int argc, const char* const* argv);

// "usage: sockspec-client --connect HOST:PORT [--transport tcp|udp] ... [--help]": required
// flags first, built from the flags the parser declares, so it never disagrees with them.
[[nodiscard]] std::string usage_line();

}  // namespace sockspec::client
