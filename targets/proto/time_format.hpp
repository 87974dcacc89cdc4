// UTC time stamps for the daytime service and the line service's TIME: pure functions of a time.
#pragma once

#include <chrono>
#include <string>

namespace sockspec::proto {

// RFC 867's example format, in UTC, without a line end: "Monday, November 23, 2026 18:55:05-UTC".
// English day and month names whatever the locale; the day of the month is not zero-padded.
// Sub-second parts are truncated (floor), also before 1970.
[[nodiscard]] std::string format_daytime(std::chrono::system_clock::time_point when);

// RFC 3339 in UTC, to the second, without a line end: "2026-11-23T18:55:05Z". Truncates as above.
[[nodiscard]] std::string format_rfc3339(std::chrono::system_clock::time_point when);

}  // namespace sockspec::proto
