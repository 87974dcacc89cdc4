// The flags of sockspec-server, with help written as sentences, and their parser.
#include "targets/server/options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>

#include "targets/net/endpoint.hpp"
#include "targets/proto/service.hpp"
#include "targets/server/model.hpp"

namespace sockspec::server {
namespace {

std::vector<std::string> names(auto&& list) {
  std::vector<std::string> out;
  for (const auto& n : list) out.emplace_back(n);
  return out;
}

// --bind takes numeric addresses only: a name would need a resolver, and a typo must be a usage
// error (exit 2), not a bind failure (exit 3).
std::string check_numeric_address(std::string& text) {
  auto host = net::Endpoint::from_host(text, 0);
  return host ? std::string() : host.error().message;
}

// CLI11's default failure message has no usage line; a user of a test tool wants one.
std::string failure_with_usage(const CLI::App* app, const CLI::Error& error) {
  return std::string(error.what()) + "\n" + CLI::Formatter().make_usage(app, app->get_name()) +
         "Run with --help for more information.\n";
}

void add_server_options(CLI::App& app, ServerOptions& options) {
  app.failure_message(failure_with_usage);
  app.add_option("--model", options.model,
                 "Concurrency model: iterative (one client at a time), threads (a thread per "
                 "connection or datagram), processes (a fork per connection or datagram) or "
                 "epoll (one thread, readiness events).")
      ->check(CLI::IsMember(names(kModelNames)))
      ->capture_default_str();
  app.add_option("--service", options.service,
                 fmt::format("Service to offer: {}.", fmt::join(proto::kServiceNames, ", ")))
      ->check(CLI::IsMember(names(proto::kServiceNames)))
      ->capture_default_str();
  app.add_option_function<std::vector<std::string>>(
         "--transport",
         [&options](const std::vector<std::string>& list) {
           options.tcp = options.udp = false;
           for (const auto& t : list) (t == "tcp" ? options.tcp : options.udp) = true;
         },
         "Transports to serve, comma-separated: tcp, udp or tcp,udp. With both and --port 0 "
         "they share one port number. Default: tcp.")
      ->delimiter(',')
      ->check(CLI::IsMember({"tcp", "udp"}));
  app.add_option("--bind", options.bind,
                 "Numeric address to serve on (repeatable): 127.0.0.1, ::1, 0.0.0.0, :: ... "
                 "Every address gets the same port.")
      ->check(CLI::Validator(check_numeric_address, "ADDRESS", "numeric address"))
      ->capture_default_str();
  app.add_option("--port", options.port,
                 "Port to bind; 0 lets the kernel choose one, reported on the READY lines.")
      ->capture_default_str();
  app.add_option("--max-clients", options.max_clients,
                 "Most connections (threads, processes) or datagram workers served at once; "
                 "more wait in the backlog or the socket buffer.")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
}

}  // namespace

std::optional<int> parse_server_command_line(int argc, const char* const* argv,
                                             ServerOptions& options) {
  CLI::App app{fmt::format("sockspec-server: reference TCP/UDP server ({})",
                           fmt::join(proto::kServiceNames, ", ")),
               "sockspec-server"};
  add_server_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);  // prints the message and the usage line to stderr
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace sockspec::server
