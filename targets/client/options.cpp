// The flags of sockspec-client, with help written as sentences, and their parser.
#include "targets/client/options.hpp"

#include <CLI/CLI.hpp>

#include "targets/client/duration.hpp"

namespace sockspec::client {
namespace {

// A CLI11 check that accepts what `parse` accepts and reports its error message otherwise.
template <class Parse>
CLI::Validator parsed_by(Parse parse, std::string name) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        auto parsed = parse(text);
        return parsed ? std::string() : parsed.error().message;
      },
      "", std::move(name));
}

// The flag's type name alone ("N", not "N:UINT in [0 - 100]") in the help and the usage line;
// the help sentence says what is accepted.
CLI::Validator without_description(CLI::Validator validator) {
  validator.description("");
  return validator;
}

void add_client_options(CLI::App& app, ClientOptions& options) {
  app.add_option_function<std::string>(
         "--transport",
         [&options](const std::string& name) {
           options.transport = name == "udp" ? Transport::kUdp : Transport::kTcp;
         },
         "Transport to use: tcp (connect, send, half-close, read until the server closes) or "
         "udp (one datagram out, one datagram back). Default: tcp.")
      ->type_name("tcp|udp")
      ->check(without_description(CLI::IsMember({"tcp", "udp"})));
  app.add_option_function<std::string>(
         "--connect",
         [&options](const std::string& text) { options.server = *net::Endpoint::parse(text); },
         "Server to talk to, as a numeric address and port: 127.0.0.1:7 or [::1]:7. No name "
         "lookups are made.")
      ->type_name("HOST:PORT")
      ->required()
      ->check(parsed_by(&net::Endpoint::parse, "HOST:PORT"));
  app.add_option_function<std::string>(
         "--message", [&options](const std::string& text) { options.message = text; },
         "Bytes to send, exactly as given (no newline is added). Without this flag the message "
         "is all of standard input, read to its end.")
      ->type_name("TEXT");
  app.add_option_function<std::string>(
         "--timeout",
         [&options](const std::string& text) { options.timeout = *parse_duration(text); },
         "Time allowed for the whole run, from start to the last reply byte, reading standard "
         "input included: a number and a unit (ms, s or m), such as 5s, 500ms or 2.5s. When it "
         "runs out the client exits 4. Default: 5s.")
      ->type_name("DURATION")
      ->check(parsed_by(&parse_duration, "DURATION"));
  CLI::Option* retries =
      app.add_option("--retries", options.retries,
                     "UDP only: how many times, from 0 to 100, to resend a request that got no "
                     "reply. The timeout is split evenly over the 1 + N attempts. Default: 2.")
          ->type_name("N")
          ->check(without_description(CLI::Range(0U, 100U)));
  app.add_flag("--lines", options.lines,
               "Line-protocol mode: the message is one or more request lines. Over TCP all "
               "lines are sent, then exactly one reply line per request line is read and "
               "printed; over UDP each line is its own datagram with its own reply, in order.");
  app.callback([&options, retries] {
    if (options.transport == Transport::kTcp && retries->count() > 0) {
      throw CLI::ValidationError("--retries", "only applies to --transport udp");
    }
  });
}

std::string usage_line_of(const CLI::App& app) {
  std::string required;
  std::string optional;
  std::string help;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_lnames().empty()) continue;
    std::string item = "--" + opt->get_lnames().front();
    if (opt->get_expected_min() > 0) item += " " + opt->get_type_name();
    if (opt->get_required()) {
      required += " " + item;
    } else {
      (opt == app.get_help_ptr() ? help : optional) += " [" + item + "]";
    }
  }
  return "usage: " + app.get_name() + required + optional + help;
}

constexpr const char* kDescription =
    "Sends one message to a TCP or UDP server and prints the reply to stdout, byte for byte. "
    "Exit codes: 0 ok, 1 other error, 2 bad arguments, 3 connection refused, 4 timeout, 5 the "
    "peer closed before the exchange completed.";

}  // namespace

ClientCommandLine parse_client_command_line(int argc, const char* const* argv) {
  ClientOptions options;
  CLI::App app{kDescription, "sockspec-client"};
  add_client_options(app, options);
  ClientCommandLine parsed;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    parsed.help = app.help();
    return parsed;
  } catch (const CLI::ParseError& e) {
    parsed.reason = e.what();
    return parsed;
  }
  parsed.options = options;
  return parsed;
}

std::string usage_line() {
  ClientOptions options;
  CLI::App app{kDescription, "sockspec-client"};
  add_client_options(app, options);
  return usage_line_of(app);
}

}  // namespace sockspec::client
