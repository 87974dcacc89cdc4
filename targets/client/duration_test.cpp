// Tests of --timeout's duration syntax.
#include "targets/client/duration.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sockspec::client {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

TEST(ParseDuration, AcceptsNumbersWithUnits) {
  const struct {
    const char* text;
    milliseconds expected;
  } cases[] = {
      {"5s", milliseconds(5000)},          {"500ms", milliseconds(500)},
      {"2.5s", milliseconds(2500)},        {"1m", milliseconds(60000)},
      {"0.5ms", milliseconds(1)},          {"1.0005s", milliseconds(1001)},
      {"0.001s", milliseconds(1)},         {"1.25m", milliseconds(75000)},
      {"1440m", milliseconds(86'400'000)}, {"007s", milliseconds(7000)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = parse_duration(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, c.expected);
  }
}

TEST(ParseDuration, RejectsMalformedOrOutOfRangeValues) {
  const struct {
    const char* text;
    const char* why;
  } cases[] = {
      {"", "expected a number and a unit"},
      {"5", "expected a number and a unit"},
      {"s", "expected a number and a unit"},
      {"-1s", "expected a number and a unit"},
      {"1.s", "expected a number and a unit"},
      {".5s", "expected a number and a unit"},
      {"5 s", "expected a number and a unit"},
      {"5sec", "expected a number and a unit"},
      {"1e3ms", "expected a number and a unit"},
      {"5h", "expected a number and a unit"},
      {"0s", "at least 1ms"},
      {"0.0004s", "at least 1ms"},
      {"1441m", "longer than 24h"},
      {"99999999999s", "longer than 24h"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = parse_duration(c.text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_THAT(parsed.error().message, HasSubstr(std::string("invalid duration '") + c.text));
    EXPECT_THAT(parsed.error().message, HasSubstr(c.why));
  }
}

TEST(FormatDuration, PrintsTheShortestFormThatParsesBack) {
  EXPECT_EQ(format_duration(milliseconds(5000)), "5s");
  EXPECT_EQ(format_duration(milliseconds(2500)), "2.5s");
  EXPECT_EQ(format_duration(milliseconds(500)), "0.5s");
  EXPECT_EQ(format_duration(milliseconds(1250)), "1250ms");
  for (const long ms : {1L, 99L, 100L, 999L, 1000L, 1001L, 61'500L, 86'400'000L}) {
    SCOPED_TRACE(ms);
    const auto parsed = parse_duration(format_duration(milliseconds(ms)));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->count(), ms);
  }
}

}  // namespace
}  // namespace sockspec::client
