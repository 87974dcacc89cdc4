// Durations on the command line: "5s", "500ms", "2.5s" <-> std::chrono::milliseconds.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::client {

// The longest timeout accepted: one day keeps every wait within poll()'s int milliseconds.
inline constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(24);

// Parses a positive decimal number followed by a unit: "ms", "s" or "m" ("5s", "500ms",
// "2.5s", "1m"). A bare number is rejected: "5" could mean seconds or milliseconds. The value
// is rounded to whole milliseconds and must lie in [1ms, kMaxDuration]. Errors read
// "invalid duration '5': ..." and never contain a newline.
[[nodiscard]] net::Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest of "1500ms", "2s", "2.5s" that parse_duration() reads back as `d`.
[[nodiscard]] std::string format_duration(std::chrono::milliseconds d);

}  // namespace sockspec::client
