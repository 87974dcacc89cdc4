// The command line of sockspec-client: one options struct and the function that declares it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "targets/net/endpoint.hpp"

namespace CLI {
class App;  // CLI11 is slow to compile: only the files that parse flags include it
}

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

// Declares every flag on `app`, writing into `options`. CLI11 validates the values while
// parsing and throws a CLI::ParseError (ValidationError, RequiredError...) whose what() is a
// one-line reason: "--timeout: invalid duration '5': expected ...".
void add_client_options(CLI::App& app, ClientOptions& options);

// "usage: sockspec-client --connect HOST:PORT [--transport tcp|udp] ... [--help]": required
// flags first, built from the flags declared on `app`, so it never disagrees with them.
[[nodiscard]] std::string usage_line(const CLI::App& app);

}  // namespace sockspec::client
