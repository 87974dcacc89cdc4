// sockspec-client: sends one message to a TCP or UDP server and prints the reply; the exit code
// says how the exchange ended (docs/architecture.md, "sockspec-client").
#include <fmt/core.h>
#include <unistd.h>

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

[[noreturn]] void exit_bad_arguments(std::string_view reason) {
  log_line(reason);
  const std::string usage = usage_line() + "\n";
  [[maybe_unused]] const ssize_t n =
      sockspec::net::sys::ops().write(STDERR_FILENO, usage.data(), usage.size());
  std::exit(kExitBadArguments);
}

ClientOptions parse_arguments_or_die(int argc, char** argv) {
  ClientCommandLine parsed = parse_client_command_line(argc, argv);
  if (!parsed.help.empty()) {
    if (!write_all(STDOUT_FILENO, std::as_bytes(std::span(parsed.help)),
                   Clock::time_point::max())) {
      std::exit(kExitError);
    }
    std::exit(kExitOk);
  }
  if (!parsed.options) exit_bad_arguments(parsed.reason);
  return *parsed.options;
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

  const ClientOptions options = parse_arguments_or_die(argc, argv);

  const Clock::time_point deadline = start + options.timeout;
  const std::string message = read_message_or_die(options, deadline);
  if (options.lines && split_request_lines(message).empty()) {
    exit_bad_arguments("--lines needs at least one request line, and the message is empty");
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
