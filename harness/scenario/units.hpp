// Durations ("500ms", "2.5s"), byte sizes ("16MiB") and ranges ("1..1400", "0..2ms") as written in
// scenario files: parsing with exact error messages, and printing back in the same syntax.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::scenario {

using Duration = std::chrono::microseconds;

// Largest duration a scenario may name (a step's wait is bounded; see docs/style.md 8).
inline constexpr Duration kMaxDuration = std::chrono::hours(1);
// Largest byte size a scenario may name.
inline constexpr std::uint64_t kMaxSize = std::uint64_t{1} << 30;

struct SizeRange {
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  bool operator==(const SizeRange&) const = default;
};

struct DurationRange {
  Duration min{0};
  Duration max{0};
  bool operator==(const DurationRange&) const = default;
};

// A decimal number (fraction allowed) and one unit: us, ms, s, m. "2.5s", "500ms", "1m", "0s";
// a bare "0" too.
// The value must be a whole number of microseconds and at most kMaxDuration. The error message
// names the text: "bad duration '5x': expected a number and a unit (us, ms, s, m, h), e.g. 500ms".
[[nodiscard]] net::Result<Duration> parse_duration(std::string_view text);
// Whole bytes with an optional unit: B, KiB, MiB, GiB ("1400", "64KiB", "16MiB"); at most kMaxSize.
[[nodiscard]] net::Result<std::uint64_t> parse_size(std::string_view text);
// "N" (meaning N..N) or "A..B" with A <= B, each part a size.
[[nodiscard]] net::Result<SizeRange> parse_size_range(std::string_view text);
// "D" (meaning D..D) or "A..B" with A <= B, each part a duration; a unitless A takes B's unit
// ("0..2ms", "1..5s").
[[nodiscard]] net::Result<DurationRange> parse_duration_range(std::string_view text);

// The inverse of the parsers: the largest unit that is exact ("2500ms", "16MiB", "1..1400").
[[nodiscard]] std::string format_duration(Duration d);
[[nodiscard]] std::string format_size(std::uint64_t bytes);
[[nodiscard]] std::string format_size_range(const SizeRange& r);
[[nodiscard]] std::string format_duration_range(const DurationRange& r);

}  // namespace sockspec::scenario
