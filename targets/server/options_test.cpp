// The command line: defaults, lists, ranges and validation of sockspec-server's flags.
#include "targets/server/options.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

namespace sockspec::server {
namespace {

// Parses `args` (without the program name); the exception CLI11 throws, if any, escapes.
ServerOptions parse(std::vector<std::string> args) {
  ServerOptions options;
  CLI::App app{"test", "sockspec-server"};
  add_server_options(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector in reverse order
  app.parse(args);
  return options;
}

TEST(ServerOptions, Defaults) {
  const auto o = parse({});
  EXPECT_EQ(o.model, "epoll");
  EXPECT_EQ(o.service, "echo");
  EXPECT_TRUE(o.tcp);
  EXPECT_FALSE(o.udp);
  EXPECT_EQ(o.bind, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(o.port, 0);
}

TEST(ServerOptions, TransportListAndRepeatedBindReplaceTheDefaults) {
  const auto o = parse({"--transport", "udp", "--bind", "::1", "--bind", "127.0.0.2"});
  EXPECT_FALSE(o.tcp);
  EXPECT_TRUE(o.udp);
  EXPECT_EQ(o.bind, (std::vector<std::string>{"::1", "127.0.0.2"}));
  const auto both = parse({"--transport", "tcp,udp", "--port", "65535"});
  EXPECT_TRUE(both.tcp);
  EXPECT_TRUE(both.udp);
  EXPECT_EQ(both.port, 65535);
}

TEST(ServerOptions, BadValuesAreParseErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {"--model", "forking"},   {"--service", "qotd"},   {"--transport", "sctp"},
      {"--transport", "tcp,x"}, {"--port", "65536"},     {"--port", "-1"},
      {"--port", "http"},       {"--bind", "localhost"}, {"--bind", "1.2.3"},
      {"--max-clients", "0"},   {"--unknown"},
  };
  for (const auto& args : bad) {
    SCOPED_TRACE(args.front() + " " + (args.size() > 1 ? args[1] : ""));
    EXPECT_THROW((void)parse(args), CLI::ParseError);
  }
}

}  // namespace
}  // namespace sockspec::server
