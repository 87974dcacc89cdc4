// Tests of sockspec-client's flags: defaults, accepted values, and the reasons for rejections.
#include "targets/client/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <variant>

namespace sockspec::client {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Parses `args` as sockspec-client would: the options, or the one-line reason.
std::variant<ClientOptions, std::string> parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"sockspec-client"};
  for (const auto& a : args) argv.push_back(a.c_str());
  ClientCommandLine parsed = parse_client_command_line(static_cast<int>(argv.size()), argv.data());
  if (parsed.options) return *parsed.options;
  return parsed.reason;
}

TEST(ClientOptions, DefaultsNeedOnlyConnect) {
  const auto parsed = parse({"--connect", "127.0.0.1:7"});
  ASSERT_TRUE(std::holds_alternative<ClientOptions>(parsed)) << std::get<std::string>(parsed);
  const auto& o = std::get<ClientOptions>(parsed);
  EXPECT_EQ(o.transport, Transport::kTcp);
  EXPECT_EQ(o.server.to_string(), "127.0.0.1:7");
  EXPECT_FALSE(o.message.has_value());
  EXPECT_EQ(o.timeout, std::chrono::seconds(5));
  EXPECT_EQ(o.retries, 2u);
  EXPECT_FALSE(o.lines);
}

TEST(ClientOptions, ReadsEveryFlag) {
  const auto parsed = parse({"--transport", "udp", "--connect", "[::1]:9", "--message", "hi there",
                             "--timeout", "2.5s", "--retries", "0", "--lines"});
  ASSERT_TRUE(std::holds_alternative<ClientOptions>(parsed)) << std::get<std::string>(parsed);
  const auto& o = std::get<ClientOptions>(parsed);
  EXPECT_EQ(o.transport, Transport::kUdp);
  EXPECT_EQ(o.server.to_string(), "[::1]:9");
  EXPECT_EQ(o.message, "hi there");
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(o.retries, 0u);
  EXPECT_TRUE(o.lines);
}

TEST(ClientOptions, AnEmptyMessageIsAMessage) {
  const auto parsed = parse({"--connect", "127.0.0.1:7", "--message", ""});
  ASSERT_TRUE(std::holds_alternative<ClientOptions>(parsed)) << std::get<std::string>(parsed);
  EXPECT_EQ(std::get<ClientOptions>(parsed).message, "");
}

TEST(ClientOptions, RejectsBadValuesWithAReason) {
  const struct {
    std::vector<std::string> args;
    const char* reason;
  } cases[] = {
      {{}, "--connect is required"},
      {{"--connect", "localhost:7"}, "invalid address 'localhost'"},
      {{"--connect", "127.0.0.1"}, "expected HOST:PORT"},
      {{"--connect", "::1:7"}, "needs brackets"},
      {{"--connect", "127.0.0.1:70000"}, "port must be a number"},
      {{"--connect", "127.0.0.1:7", "--transport", "sctp"}, "--transport"},
      {{"--connect", "127.0.0.1:7", "--timeout", "5"}, "invalid duration '5'"},
      {{"--connect", "127.0.0.1:7", "--timeout", "0s"}, "at least 1ms"},
      {{"--connect", "127.0.0.1:7", "--retries", "1"}, "only applies to --transport udp"},
      {{"--connect", "127.0.0.1:7", "--transport", "udp", "--retries", "-1"}, "--retries"},
      {{"--connect", "127.0.0.1:7", "--transport", "udp", "--retries", "101"}, "--retries"},
      {{"--connect", "127.0.0.1:7", "--bogus"}, "--bogus"},
      {{"--connect", "127.0.0.1:7", "--transport", "1"}, "--transport"},
      {{"--connect", "127.0.0.1:7", "--lines=maybe"}, "--lines"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const auto parsed = parse(c.args);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
    const auto& reason = std::get<std::string>(parsed);
    EXPECT_THAT(reason, HasSubstr(c.reason));
    EXPECT_EQ(reason.find('\n'), std::string::npos) << reason;
  }
}

TEST(ClientOptions, HelpIsTheTextToPrintNotAReason) {
  const std::vector<const char*> argv = {"sockspec-client", "--help"};
  const ClientCommandLine parsed =
      parse_client_command_line(static_cast<int>(argv.size()), argv.data());
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_TRUE(parsed.reason.empty()) << parsed.reason;
  EXPECT_THAT(parsed.help, HasSubstr("--retries"));
  EXPECT_THAT(parsed.help, HasSubstr("Exit codes: 0 ok"));
}

TEST(ClientOptions, UsageLineShowsRequiredFlagsBareAndOptionalOnesInBrackets) {
  const std::string usage = usage_line();
  EXPECT_THAT(usage, StartsWith("usage: sockspec-client "));
  EXPECT_THAT(usage, HasSubstr(" --connect HOST:PORT"));
  EXPECT_THAT(usage, HasSubstr("[--transport tcp|udp]"));
  EXPECT_THAT(usage, HasSubstr("[--timeout DURATION]"));
  EXPECT_THAT(usage, HasSubstr("[--retries N]"));
  EXPECT_THAT(usage, HasSubstr("[--lines]"));
  EXPECT_THAT(usage, HasSubstr("[--message TEXT]"));
  EXPECT_THAT(usage, ::testing::EndsWith(" [--help]"));
}

}  // namespace
}  // namespace sockspec::client
