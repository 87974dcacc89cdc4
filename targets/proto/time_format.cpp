// UTC time stamps from std::chrono's civil calendar: no gmtime, no locale, no time zone database.
#include "targets/proto/time_format.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace sockspec::proto {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::seconds;

constexpr std::array<std::string_view, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// The civil UTC fields of a time point, to the second.
struct Civil {
  std::chrono::year_month_day date;
  std::chrono::weekday weekday;
  std::chrono::hh_mm_ss<seconds> time;
};

// Whole seconds first, then days: floor<days>() of a nanosecond time point overflows (signed)
// within two days of system_clock's minimum; in seconds it cannot (found by fuzz/proto, UBSan).
[[nodiscard]] Civil to_civil(std::chrono::system_clock::time_point when) {
  const auto second = floor<seconds>(when);
  const auto day = floor<days>(second);
  return Civil{std::chrono::year_month_day{day}, std::chrono::weekday{day},
               std::chrono::hh_mm_ss<seconds>{second - day}};
}

}  // namespace

std::string format_daytime(std::chrono::system_clock::time_point when) {
  const Civil c = to_civil(when);
  return fmt::format("{}, {} {}, {} {:02}:{:02}:{:02}-UTC", kWeekdays[c.weekday.c_encoding()],
                     kMonths[static_cast<unsigned>(c.date.month()) - 1],
                     static_cast<unsigned>(c.date.day()), static_cast<int>(c.date.year()),
                     c.time.hours().count(), c.time.minutes().count(), c.time.seconds().count());
}

std::string format_rfc3339(std::chrono::system_clock::time_point when) {
  const Civil c = to_civil(when);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(c.date.year()),
                     static_cast<unsigned>(c.date.month()), static_cast<unsigned>(c.date.day()),
                     c.time.hours().count(), c.time.minutes().count(), c.time.seconds().count());
}

}  // namespace sockspec::proto
