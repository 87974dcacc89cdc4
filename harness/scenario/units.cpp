// Parsing and printing of durations, sizes and ranges; see units.hpp for the syntax.
#include "harness/scenario/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <utility>

namespace sockspec::scenario {
namespace {

using net::Error;

struct Unit {
  std::string_view name;
  std::uint64_t scale;  // in microseconds or bytes
};

constexpr std::array<Unit, 5> kTimeUnits = {
    {{"h", 3'600'000'000}, {"m", 60'000'000}, {"s", 1'000'000}, {"ms", 1'000}, {"us", 1}}};
constexpr std::array<Unit, 4> kSizeUnits = {
    {{"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}, {"B", 1}}};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Splits "12.5ms" into number "12.5" and unit "ms".
std::pair<std::string_view, std::string_view> split_unit(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  return {text.substr(0, i), text.substr(i)};
}

// Whole part and up to 9 fraction digits, scaled: "2.5" * 1'000'000 = 2'500'000. False when not a
// number, not whole after scaling, or above `limit`.
bool scaled_value(std::string_view number, std::uint64_t scale, std::uint64_t limit,
                  std::uint64_t& out, bool& inexact) {
  const auto dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(frac))) return false;
  if (whole.size() > 12) {  // a number, just too large: said as over the limit, not as garbage
    out = limit + 1;
    return true;
  }
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  if (frac.size() > 9) {  // finer than any unit's scale can hold
    inexact = true;
    return true;
  }
  std::uint64_t w = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), w);
  std::uint64_t f = 0;
  std::uint64_t denom = 1;
  for (const char c : frac) {
    f = f * 10 + static_cast<std::uint64_t>(c - '0');
    denom *= 10;
  }
  if (w > limit / scale + 1) {
    out = limit + 1;
    return true;
  }
  const std::uint64_t frac_scaled = f * scale;
  inexact = frac_scaled % denom != 0;
  out = w * scale + frac_scaled / denom;
  return true;
}

template <class T, class Parse>
net::Result<std::pair<T, T>> parse_range(std::string_view text, Parse parse) {
  const auto sep = text.find("..");
  if (sep == std::string_view::npos) {
    auto one = parse(text);
    if (!one) return one.error();
    return std::pair<T, T>{*one, *one};
  }
  auto lo = parse(text.substr(0, sep));
  if (!lo) return lo.error();
  auto hi = parse(text.substr(sep + 2));
  if (!hi) return hi.error();
  if (*hi < *lo)
    return Error{fmt::format("bad range '{}': the lower bound is above the upper", text)};
  return std::pair<T, T>{*lo, *hi};
}

}  // namespace

net::Result<Duration> parse_duration(std::string_view text) {
  if (text == "0") return Duration(0);  // zero needs no unit
  const auto [number, unit] = split_unit(text);
  const auto limit = static_cast<std::uint64_t>(kMaxDuration.count());
  for (const Unit& u : kTimeUnits) {
    if (u.name != unit) continue;
    std::uint64_t us = 0;
    bool inexact = false;
    if (!scaled_value(number, u.scale, limit, us, inexact)) break;
    if (inexact) return Error{fmt::format("bad duration '{}': finer than 1us", text)};
    if (us > limit) return Error{fmt::format("bad duration '{}': more than 1h", text)};
    return Duration(static_cast<Duration::rep>(us));
  }
  return Error{fmt::format(
      "bad duration '{}': expected a number and a unit (us, ms, s, m, h), e.g. 500ms", text)};
}

net::Result<std::uint64_t> parse_size(std::string_view text) {
  const auto [number, unit] = split_unit(text);
  for (const Unit& u : kSizeUnits) {
    if (u.name != unit && !(unit.empty() && u.scale == 1)) continue;
    std::uint64_t bytes = 0;
    bool inexact = false;
    if (number.find('.') != std::string_view::npos ||
        !scaled_value(number, u.scale, kMaxSize, bytes, inexact)) {
      break;
    }
    if (bytes > kMaxSize) return Error{fmt::format("bad size '{}': more than 1GiB", text)};
    return bytes;
  }
  return Error{fmt::format(
      "bad size '{}': expected a whole number and an optional unit (B, KiB, MiB, GiB), e.g. 64KiB",
      text)};
}

net::Result<SizeRange> parse_size_range(std::string_view text) {
  auto r = parse_range<std::uint64_t>(text, parse_size);
  if (!r) return r.error();
  return SizeRange{r->first, r->second};
}

net::Result<DurationRange> parse_duration_range(std::string_view text) {
  // "1..2ms": a lower bound without a unit takes the upper bound's ("1ms..2ms").
  const auto sep = text.find("..");
  if (sep != std::string_view::npos) {
    const std::string_view lo = text.substr(0, sep);
    const std::string_view unit = split_unit(text.substr(sep + 2)).second;
    if (!lo.empty() && lo != "0" && split_unit(lo).second.empty() && !unit.empty()) {
      const std::string lo_with_unit = std::string(lo) + std::string(unit);
      auto a = parse_duration(lo_with_unit);
      if (!a) return a.error();
      auto b = parse_duration(text.substr(sep + 2));
      if (!b) return b.error();
      if (*b < *a)
        return Error{fmt::format("bad range '{}': the lower bound is above the upper", text)};
      return DurationRange{*a, *b};
    }
  }
  auto r = parse_range<Duration>(text, parse_duration);
  if (!r) return r.error();
  return DurationRange{r->first, r->second};
}

std::string format_duration(Duration d) {
  const auto us = static_cast<std::uint64_t>(d.count());
  for (const Unit& u : kTimeUnits) {
    if (us % u.scale == 0 && (us != 0 || u.name == "s"))
      return fmt::format("{}{}", us / u.scale, u.name);
  }
  return fmt::format("{}us", us);
}

std::string format_size(std::uint64_t bytes) {
  for (const Unit& u : kSizeUnits) {
    if (bytes != 0 && u.scale > 1 && bytes % u.scale == 0)
      return fmt::format("{}{}", bytes / u.scale, u.name);
  }
  return fmt::format("{}", bytes);
}

std::string format_size_range(const SizeRange& r) {
  if (r.min == r.max) return format_size(r.min);
  return format_size(r.min) + ".." + format_size(r.max);
}

std::string format_duration_range(const DurationRange& r) {
  if (r.min == r.max) return format_duration(r.min);
  return format_duration(r.min) + ".." + format_duration(r.max);
}

}  // namespace sockspec::scenario
