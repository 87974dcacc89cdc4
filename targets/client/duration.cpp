// Parsing and printing of durations; exact decimal arithmetic, no floating point.
#include "targets/client/duration.hpp"

#include <fmt/core.h>

#include <array>
#include <charconv>
#include <cstdint>

namespace sockspec::client {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// Longest suffix first, so that "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 3> kUnits = {{{"ms", 1}, {"s", 1000}, {"m", 60'000}}};

net::Error bad(std::string_view text, std::string_view why) {
  return net::Error{fmt::format("invalid duration '{}': {}", text, why)};
}

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

net::Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  constexpr std::string_view kHint = "expected a number and a unit, such as 5s, 500ms or 2.5s";
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (text.size() > u.suffix.size() && text.ends_with(u.suffix)) {
      unit = &u;
      break;
    }
  }
  if (unit == nullptr) return bad(text, kHint);
  const std::string_view number = text.substr(0, text.size() - unit->suffix.size());
  const auto dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty())) {
    return bad(text, kHint);
  }
  // Whole part: anything with more than 9 digits is beyond kMaxDuration in every unit.
  if (whole.size() > 9) return bad(text, "longer than 24h");
  std::int64_t whole_value = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), whole_value);
  // Fraction: the first 9 digits are plenty for milliseconds of minutes; round half up.
  std::int64_t scale = 1;
  std::int64_t fraction_value = 0;
  for (std::size_t i = 0; i < fraction.size() && i < 9; ++i) {
    fraction_value = fraction_value * 10 + (fraction[i] - '0');
    scale *= 10;
  }
  const std::int64_t ms =
      whole_value * unit->ms + (fraction_value * unit->ms * 2 + scale) / (2 * scale);
  if (ms < 1) return bad(text, "must be at least 1ms");
  if (ms > kMaxDuration.count()) return bad(text, "longer than 24h");
  return std::chrono::milliseconds(ms);
}

std::string format_duration(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  if (ms % 100 == 0) return fmt::format("{}.{}s", ms / 1000, (ms % 1000) / 100);
  return fmt::format("{}ms", ms);
}

}  // namespace sockspec::client
