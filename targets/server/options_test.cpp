// The command line: defaults, lists, ranges and validation of sockspec-server's flags.
#include "targets/server/options.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace sockspec::server {
namespace {

// Parses `args` (without the program name): the exit code it ends with (or nullopt), and what
// it printed on stderr.
struct Parsed {
  ServerOptions options;
  std::optional<int> end;
  std::string stderr_text;
};
Parsed parse_args(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"sockspec-server"};
  for (const auto& a : args) argv.push_back(a.c_str());
  Parsed p;
  ::testing::internal::CaptureStderr();
  p.end = parse_server_command_line(static_cast<int>(argv.size()), argv.data(), p.options);
  p.stderr_text = ::testing::internal::GetCapturedStderr();
  return p;
}

ServerOptions parse(const std::vector<std::string>& args) {
  Parsed p = parse_args(args);
  EXPECT_EQ(p.end, std::nullopt) << p.stderr_text;
  return p.options;
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

TEST(ServerOptions, BadValuesEndWithTheUsageExitCodeAndSayWhy) {
  const std::vector<std::vector<std::string>> bad = {
      {"--model", "forking"},   {"--service", "qotd"},   {"--transport", "sctp"},
      {"--transport", "tcp,x"}, {"--port", "65536"},     {"--port", "-1"},
      {"--port", "http"},       {"--bind", "localhost"}, {"--bind", "1.2.3"},
      {"--max-clients", "0"},   {"--unknown"},
  };
  for (const auto& args : bad) {
    SCOPED_TRACE(args.front() + " " + (args.size() > 1 ? args[1] : ""));
    const Parsed p = parse_args(args);
    EXPECT_EQ(p.end, kExitUsage);
    EXPECT_NE(p.stderr_text.find(args.front()), std::string::npos) << p.stderr_text;
    EXPECT_NE(p.stderr_text.find("Run with --help"), std::string::npos) << p.stderr_text;
  }
}

TEST(ServerOptions, HelpIsPrintedOnStdoutAndEndsWithZero) {
  ::testing::internal::CaptureStdout();
  const Parsed p = parse_args({"--help"});
  const std::string help = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(p.end, 0);
  EXPECT_NE(help.find("--max-clients"), std::string::npos) << help;
}

}  // namespace
}  // namespace sockspec::server
