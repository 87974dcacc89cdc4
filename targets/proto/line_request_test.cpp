// Tests for the `line` request parser: every row of the table in line_request.cpp.
#include "targets/proto/line_request.hpp"

#include <gtest/gtest.h>

#include <string>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

using namespace std::string_literals;

struct Row {
  std::string line;  // bytes before the LF
  RequestError error;
  Command command;  // when error == kNone
  std::string argument;
};

TEST(ParseRequest, FollowsTheTable) {
  const Row rows[] = {
      {"PING", RequestError::kNone, Command::kPing, ""},
      {"ping", RequestError::kNone, Command::kPing, ""},
      {"PiNg", RequestError::kNone, Command::kPing, ""},
      {"PING\r", RequestError::kNone, Command::kPing, ""},
      {"PING\r\r", RequestError::kUnknownCommand, {}, ""},
      {"PING extra", RequestError::kUnknownCommand, {}, ""},
      {"PING ", RequestError::kUnknownCommand, {}, ""},
      {"PING \r", RequestError::kUnknownCommand, {}, ""},
      {"ECHO x y", RequestError::kNone, Command::kEcho, "x y"},
      {"ECHO  x", RequestError::kNone, Command::kEcho, " x"},
      {"ECHO ", RequestError::kNone, Command::kEcho, ""},
      {"ECHO", RequestError::kNone, Command::kEcho, ""},
      {"ECHO\r", RequestError::kNone, Command::kEcho, ""},
      {"ECHO x\r", RequestError::kNone, Command::kEcho, "x"},
      {"ECHO x\r\r", RequestError::kNone, Command::kEcho, "x\r"},
      {"ECHO a\rb", RequestError::kNone, Command::kEcho, "a\rb"},
      {"ECHO \0"s, RequestError::kNone, Command::kEcho, "\0"s},
      {"ECHO \xff\xfe\xc3("s, RequestError::kNone, Command::kEcho, "\xff\xfe\xc3("s},
      {"echo AbC", RequestError::kNone, Command::kEcho, "AbC"},
      {"eChO AbC", RequestError::kNone, Command::kEcho, "AbC"},
      {"LEN", RequestError::kNone, Command::kLen, ""},
      {"LEN ", RequestError::kNone, Command::kLen, ""},
      {"len abc", RequestError::kNone, Command::kLen, "abc"},
      {"WHOAMI", RequestError::kNone, Command::kWhoami, ""},
      {"whoami", RequestError::kNone, Command::kWhoami, ""},
      {"WHOAMI x", RequestError::kUnknownCommand, {}, ""},
      {"TIME", RequestError::kNone, Command::kTime, ""},
      {"Time", RequestError::kNone, Command::kTime, ""},
      {"QUIT", RequestError::kNone, Command::kQuit, ""},
      {"quit", RequestError::kNone, Command::kQuit, ""},
      {"QUIT now", RequestError::kUnknownCommand, {}, ""},
      {"ECHO\tx", RequestError::kUnknownCommand, {}, ""},
      {" PING", RequestError::kUnknownCommand, {}, ""},
      {" ", RequestError::kUnknownCommand, {}, ""},
      {"", RequestError::kEmptyRequest, {}, ""},
      {"\r", RequestError::kEmptyRequest, {}, ""},
      {"\r\r", RequestError::kUnknownCommand, {}, ""},
      {"P\xC4\xB0NG", RequestError::kUnknownCommand, {}, ""},
      {"PING\0"s, RequestError::kUnknownCommand, {}, ""},
      {"\0PING"s, RequestError::kUnknownCommand, {}, ""},
      {"PINGS", RequestError::kUnknownCommand, {}, ""},
      {"PIN", RequestError::kUnknownCommand, {}, ""},
      {"ECH x", RequestError::kUnknownCommand, {}, ""},
      {"HELLO", RequestError::kUnknownCommand, {}, ""},
      // 0xd0 is 'P' with the high bit set: stripping to 7 bits would wrongly match.
      {"\xd0ING", RequestError::kUnknownCommand, {}, ""},
      {"{ING", RequestError::kUnknownCommand, {}, ""},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.line));
    const ParsedRequest parsed = parse_request(row.line);
    EXPECT_EQ(parsed.error, row.error);
    EXPECT_EQ(parsed.ok(), row.error == RequestError::kNone);
    if (parsed.ok()) {
      EXPECT_EQ(parsed.request.command, row.command);
      EXPECT_EQ(parsed.request.argument, row.argument);
    }
  }
}

TEST(ParseRequest, ArgumentTakesEveryByteButLf) {
  const std::string bytes = testing::all_bytes_except("\n");
  ASSERT_EQ(bytes.size(), 255u);
  const std::string line = "ECHO " + bytes;
  const ParsedRequest parsed = parse_request(line);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.request.command, Command::kEcho);
  EXPECT_EQ(parsed.request.argument, bytes);  // ends in 0xff, so no CR is dropped
}

TEST(ParseRequest, ArgumentViewsTheLine) {
  const std::string line = "ECHO abc";
  const ParsedRequest parsed = parse_request(line);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.request.argument.data(), line.data() + 5);
}

TEST(ParseRequest, NoLengthLimitOfItsOwn) {
  const std::string line = "LEN " + std::string(100000, 'x');  // framing enforces the limit
  const ParsedRequest parsed = parse_request(line);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.request.argument.size(), 100000u);
}

}  // namespace
}  // namespace sockspec::proto
