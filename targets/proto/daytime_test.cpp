// Tests for the daytime service: the exact line from a fixed clock, over TCP and UDP.
#include "targets/proto/daytime.hpp"

#include <gtest/gtest.h>

#include <string>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

constexpr const char* kLine = "Monday, November 23, 2026 18:55:05-UTC\r\n";

TEST(DaytimeSession, SendsOneLineOnOpenThenCloses) {
  DaytimeSession session(testing::fixed_context());
  Output out;
  session.on_open(out);
  EXPECT_EQ(out.bytes, kLine);
  EXPECT_TRUE(out.close_after);
}

TEST(DaytimeSession, IgnoresInput) {
  DaytimeSession session(testing::fixed_context());
  const testing::Transcript t = testing::drive(session, {"PING\n", "anything"}, /*eof=*/true);
  EXPECT_EQ(t.bytes, kLine);
  EXPECT_TRUE(t.closed);
  EXPECT_FALSE(session.wants_more());
}

TEST(DaytimeDatagramService, AnswersAnyDatagramWithTheLine) {
  const DaytimeDatagramService service;
  const Context ctx = testing::fixed_context();
  for (const std::string d : {"", "x", "PING\n"}) {
    SCOPED_TRACE(d);
    EXPECT_EQ(service.answer(as_bytes(d), ctx), kLine);
  }
}

TEST(DaytimeLine, IsPrintableAsciiEndingInCrLf) {
  Context ctx;  // the real clock: whatever the date, the line must be printable
  const std::string line = daytime_line(ctx);
  ASSERT_GE(line.size(), 2u);
  EXPECT_TRUE(line.ends_with("\r\n"));
  for (char c : line.substr(0, line.size() - 2)) {
    EXPECT_TRUE(c >= 32 && c <= 126) << static_cast<int>(c);
  }
}

}  // namespace
}  // namespace sockspec::proto
