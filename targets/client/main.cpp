// sockspec-client: sends one message to a TCP or UDP server and prints the reply; the exit code
// says how the exchange ended (ARCHITECTURE.md, "sockspec-client").
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <string>

#include "targets/client/deadline.hpp"
#include "targets/client/lines.hpp"
#include "targets/client/log.hpp"
#include "targets/client/options.hpp"
#include "targets/client/outcome.hpp"
#include "targets/client/stdio.hpp"
#include "targets/client/tcp_exchange.hpp"
#include "targets/client/udp_exchange.hpp"
#include "targets/net/signal_pipe.hpp"
#include "targets/net/sys.hpp"

namespace {

using namespace sockspec::client;

// The exit codes of the "sockspec-client" contract.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitBadArguments = 2;
constexpr int kExitRefused = 3;
constexpr int kExitTimeout = 4;
constexpr int kExitPeerClosed = 5;

int exit_code(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return kExitOk;
    case Outcome::kError:
      return kExitError;
    case Outcome::kRefused:
      return kExitRefused;
    case Outcome::kTimeout:
      return kExitTimeout;
    case Outcome::kPeerClosed:
      return kExitPeerClosed;
  }
  return kExitError;
}

// The one reason line, then the exit.
[[noreturn]] void exit_with(int code, std::string_view reason) {
  log_line(reason);
  std::exit(code);
}

[[noreturn]] void exit_bad_arguments(const CLI::App& app, std::string_view reason) {
  log_line(reason);
  const std::string usage = usage_line(app) + "\n";
  [[maybe_unused]] const ssize_t n =
      sockspec::net::sys::ops().write(STDERR_FILENO, usage.data(), usage.size());
  std::exit(kExitBadArguments);
}

void parse_arguments_or_die(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) std::exit(app.exit(e));  // --help: the help on stdout, exit 0
    exit_bad_arguments(app, e.what());
  }
}

std::string read_message_or_die(const ClientOptions& options, Clock::time_point deadline) {
  if (options.message) return *options.message;
  auto text = read_all(STDIN_FILENO, deadline);
  if (!text) {
    exit_with(text.error().code == ETIMEDOUT ? kExitTimeout : kExitError,
              text.error().message + " (the message is read from stdin without --message)");
  }
  return std::move(*text);
}

int run(int argc, char** argv) {
  // The clock starts before stdin is read: a stdin that never ends times out like a server
  // that never answers, instead of hanging the caller.
  const Clock::time_point start = Clock::now();
  // A closed stdout becomes EPIPE, reported as a reason line, not a silent death by SIGPIPE.
  sockspec::net::ignore_sigpipe();

  CLI::App app{
      "Sends one message to a TCP or UDP server and prints the reply to stdout, byte "
      "for byte. Exit codes: 0 ok, 1 other error, 2 bad arguments, 3 connection "
      "refused, 4 timeout, 5 the peer closed before the exchange completed.",
      "sockspec-client"};
  ClientOptions options;
  add_client_options(app, options);
  parse_arguments_or_die(app, argc, argv);

  const Clock::time_point deadline = start + options.timeout;
  const std::string message = read_message_or_die(options, deadline);
  if (options.lines && split_request_lines(message).empty()) {
    exit_bad_arguments(app, "--lines needs at least one request line, and the message is empty");
  }

  const ReplySink to_stdout = [deadline](std::span<const std::byte> bytes) {
    return write_all(STDOUT_FILENO, bytes, deadline);
  };
  const ExchangeResult result = options.transport == Transport::kTcp
                                    ? tcp_exchange(options, message, deadline, to_stdout)
                                    : udp_exchange(options, message, deadline, to_stdout);
  if (result.outcome != Outcome::kOk) exit_with(exit_code(result.outcome), result.reason);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // std::bad_alloc and the like: still one reason line
    exit_with(kExitError, std::string("internal error: ") + e.what());
  }
}
