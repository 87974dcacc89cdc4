// The line service's TIME reply in models: a fixed time stands in for the clock, and replies are
// compared by the form of that time (RFC 3339 seconds), not its value.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

namespace sockspec::blackbox {

// The clock of every model session: TIME answers "+2001-02-03T04:05:06Z\r\n".
inline constexpr std::chrono::system_clock::time_point kTimeSentinel{
    std::chrono::seconds{981173106}};
inline constexpr std::string_view kTimeSentinelText = "2001-02-03T04:05:06Z";
inline constexpr std::size_t kTimeTextLength = kTimeSentinelText.size();

// The length of the UTC time at the start of `text` in a form a TIME reply may take:
// "YYYY-MM-DDThh:mm:ssZ" (20; 't' and 'z' too) or "YYYY-MM-DDThh:mm:ss+00:00" (25); 0 if none.
[[nodiscard]] std::size_t time_form_length(std::string_view text);

// Offsets (of the time text, after '+') of the TIME replies "+<sentinel>\r\n" in a model's line
// replies, ascending. A reply starts at 0 or after "\r\n": a line argument cannot hold an LF, so
// "\r\n" only ends replies. (An ECHO of the sentinel itself is taken for a TIME reply: harmless.)
[[nodiscard]] std::vector<std::size_t> time_replies(std::string_view replies);

}  // namespace sockspec::blackbox
