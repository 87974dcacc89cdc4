// Tests of sockspec-client's flags: defaults, accepted values, and the reasons for rejections.
#include "targets/client/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <variant>

namespace sockspec::client {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Parses `args` as sockspec-client would: the options, or CLI11's one-line reason.
std::variant<ClientOptions, std::string> parse(std::vector<std::string> args) {
  CLI::App app{"test", "sockspec-client"};
  ClientOptions options;
  add_client_options(app, options);
  std::vector<char*> argv;
  std::string name = "sockspec-client";
  argv.push_back(name.data());
  for (auto& a : args) argv.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return std::string(e.what());
  }
  return options;
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

TEST(ClientOptions, UsageLineShowsRequiredFlagsBareAndOptionalOnesInBrackets) {
  CLI::App app{"test", "sockspec-client"};
  ClientOptions options;
  add_client_options(app, options);
  const std::string usage = usage_line(app);
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
