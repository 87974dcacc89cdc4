// Tests for the `line` service's replies: exact bytes for every command and error.
#include "targets/proto/line_reply.hpp"

#include <gtest/gtest.h>

#include <string>

#include "targets/proto/line_request.hpp"
#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

using namespace std::string_literals;

struct Row {
  std::string line;
  std::string reply;
  AfterReply after = AfterReply::kKeepOpen;
};

TEST(AppendReply, AnswersEveryRowOfTheSpec) {
  const Context ctx = testing::fixed_context("[::1]:54321");
  const Row rows[] = {
      {"PING", "+PONG\r\n"},
      {"ECHO hello world", "+hello world\r\n"},
      {"ECHO ", "+\r\n"},
      {"ECHO", "+\r\n"},
      {"ECHO \0\xff"s, "+\0\xff\r\n"s},
      {"LEN abc", "+3\r\n"},
      {"LEN ", "+0\r\n"},
      {"LEN " + std::string(4092, 'z'), "+4092\r\n"},
      {"WHOAMI", "+[::1]:54321\r\n"},
      {"TIME", "+2026-11-23T18:55:05Z\r\n"},
      {"QUIT", "+BYE\r\n", AfterReply::kClose},
      {"", "-ERR empty request\r\n"},
      {"NOPE", "-ERR unknown command\r\n"},
      {"PING extra", "-ERR unknown command\r\n"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.line));
    std::string out;
    EXPECT_EQ(append_reply(parse_request(row.line), ctx, out), row.after);
    EXPECT_EQ(out, row.reply);
  }
}

TEST(AppendReply, AppendsWithoutClearing) {
  const Context ctx = testing::fixed_context();
  std::string out = "+PONG\r\n";
  (void)append_reply(parse_request("WHOAMI"), ctx, out);
  EXPECT_EQ(out, "+PONG\r\n+127.0.0.1:54321\r\n");
}

TEST(AppendReply, AsksTheClockOnlyForTime) {
  int calls = 0;
  Context ctx = testing::fixed_context();
  ctx.now = [&calls] {
    ++calls;
    return std::chrono::system_clock::time_point{std::chrono::seconds{0}};
  };
  std::string out;
  for (const char* line : {"PING", "ECHO x", "LEN x", "WHOAMI", "QUIT", "", "X"}) {
    (void)append_reply(parse_request(line), ctx, out);
  }
  EXPECT_EQ(calls, 0);
  (void)append_reply(parse_request("TIME"), ctx, out);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(out.ends_with("+1970-01-01T00:00:00Z\r\n"));
}

TEST(FramingReplies, AreExact) {
  EXPECT_EQ(kLineTooLongReply, "-ERR line too long\r\n");
  EXPECT_EQ(kOneRequestPerDatagramReply, "-ERR one request per datagram\r\n");
}

}  // namespace
}  // namespace sockspec::proto
