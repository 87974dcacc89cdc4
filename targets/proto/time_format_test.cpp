// Tests for the UTC time stamps: exact strings at chosen instants, truncation, before 1970.
#include "targets/proto/time_format.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace sockspec::proto {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

struct Row {
  long long unix_ms;
  std::string daytime;
  std::string rfc3339;
};

TEST(TimeFormat, FormatsUtc) {
  const Row rows[] = {
      {1795460105000, "Monday, November 23, 2026 18:55:05-UTC", "2026-11-23T18:55:05Z"},
      {1795460105999, "Monday, November 23, 2026 18:55:05-UTC", "2026-11-23T18:55:05Z"},
      {0, "Thursday, January 1, 1970 00:00:00-UTC", "1970-01-01T00:00:00Z"},
      {-1, "Wednesday, December 31, 1969 23:59:59-UTC", "1969-12-31T23:59:59Z"},
      {1709197507000, "Thursday, February 29, 2024 09:05:07-UTC", "2024-02-29T09:05:07Z"},
      {947030400000, "Wednesday, January 5, 2000 00:00:00-UTC", "2000-01-05T00:00:00Z"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.unix_ms);
    const system_clock::time_point when{milliseconds{row.unix_ms}};
    EXPECT_EQ(format_daytime(when), row.daytime);
    EXPECT_EQ(format_rfc3339(when), row.rfc3339);
  }
}

// floor<days>() of the nanosecond clock overflowed near its minimum (UBSan, fuzz/proto).
TEST(TimeFormat, FormatsTheEndsOfTheClock) {
  EXPECT_EQ(format_rfc3339(system_clock::time_point::min()), "1677-09-21T00:12:43Z");
  EXPECT_EQ(format_daytime(system_clock::time_point::min()),
            "Tuesday, September 21, 1677 00:12:43-UTC");
  EXPECT_EQ(format_rfc3339(system_clock::time_point::max()), "2262-04-11T23:47:16Z");
}

}  // namespace
}  // namespace sockspec::proto
