// Tests of durations, sizes and ranges: accepted forms, exact error messages, printing back.
#include "harness/scenario/units.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace sockspec::scenario {
namespace {

using std::chrono::microseconds;
using namespace std::chrono_literals;

TEST(ParseDuration, AcceptsUnitsAndFractions) {
  const std::pair<const char*, microseconds> cases[] = {
      {"5s", 5s},
      {"500ms", 500ms},
      {"2.5s", 2500ms},
      {"1m", 60s},
      {"0s", 0s},
      {"0.5ms", 500us},
      {"250us", 250us},
      {"1.25m", 75s},
      {"0.000001s", 1us},
      {"60m", 1h},
      {"1h", 1h},
      {"0.5h", 30min},
      {"1.500000000000s", 1500ms},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    const auto d = parse_duration(text);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(*d, expected);
  }
}

TEST(ParseDuration, RejectsWithExactMessages) {
  const std::pair<const char*, const char*> cases[] = {
      {"5", "bad duration '5': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"5x", "bad duration '5x': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"", "bad duration '': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"-1s", "bad duration '-1s': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"1.s", "bad duration '1.s': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"5 s", "bad duration '5 s': expected a number and a unit (us, ms, s, m, h), e.g. 500ms"},
      {"0.5us", "bad duration '0.5us': finer than 1us"},
      {"61m", "bad duration '61m': more than 1h"},
      {"2h", "bad duration '2h': more than 1h"},
      // A number too large for any duration is still a number: said as over the limit.
      {"99999999999999s", "bad duration '99999999999999s': more than 1h"},
      {"99999999999999999999s", "bad duration '99999999999999999999s': more than 1h"},
      {"0.0000000001s", "bad duration '0.0000000001s': finer than 1us"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    const auto d = parse_duration(text);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().message, message);
  }
}

TEST(ParseSize, AcceptsUnits) {
  const std::pair<const char*, std::uint64_t> cases[] = {
      {"0", 0},
      {"1400", 1400},
      {"1B", 1},
      {"64KiB", 65536},
      {"16MiB", 16777216},
      {"1GiB", 1073741824},
      {"1073741824", 1073741824},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    const auto s = parse_size(text);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(*s, expected);
  }
}

TEST(ParseSize, RejectsWithExactMessages) {
  const char* kExpected =
      "expected a whole number and an optional unit (B, KiB, MiB, GiB), e.g. 64KiB";
  const std::pair<const char*, std::string> cases[] = {
      {"16MB", fmt::format("bad size '16MB': {}", kExpected)},
      {"1.5KiB", fmt::format("bad size '1.5KiB': {}", kExpected)},
      {"KiB", fmt::format("bad size 'KiB': {}", kExpected)},
      {"-1", fmt::format("bad size '-1': {}", kExpected)},
      {"2GiB", "bad size '2GiB': more than 1GiB"},
      {"1073741825", "bad size '1073741825': more than 1GiB"},
      {"99999999999999999999", "bad size '99999999999999999999': more than 1GiB"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    const auto s = parse_size(text);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message, message);
  }
}

TEST(ParseRange, SizesAndDurations) {
  EXPECT_EQ(*parse_size_range("1..1400"), (SizeRange{1, 1400}));
  EXPECT_EQ(*parse_size_range("7"), (SizeRange{7, 7}));
  EXPECT_EQ(*parse_size_range("1KiB..1MiB"), (SizeRange{1024, 1048576}));
  EXPECT_EQ(parse_duration_range("0..2ms")->max, 2ms);
  EXPECT_EQ(parse_duration_range("0s..2ms")->min, 0s);
  EXPECT_EQ(*parse_duration_range("1s"), (DurationRange{1s, 1s}));
  EXPECT_EQ(*parse_duration_range("1..5s"), (DurationRange{1s, 5s}));
  EXPECT_EQ(*parse_duration_range("0"), (DurationRange{0s, 0s}));
}

TEST(ParseRange, RejectsWithExactMessages) {
  EXPECT_EQ(parse_size_range("9..3").error().message,
            "bad range '9..3': the lower bound is above the upper");
  EXPECT_EQ(parse_duration_range("2s..1s").error().message,
            "bad range '2s..1s': the lower bound is above the upper");
  EXPECT_EQ(
      parse_size_range("1..x").error().message,
      "bad size 'x': expected a whole number and an optional unit (B, KiB, MiB, GiB), e.g. 64KiB");
  EXPECT_EQ(parse_duration_range("1s..2").error().message,
            "bad duration '2': expected a number and a unit (us, ms, s, m, h), e.g. 500ms");
  EXPECT_EQ(parse_duration_range("3..2ms").error().message,
            "bad range '3..2ms': the lower bound is above the upper");
}

TEST(Format, PrintsTheLargestExactUnitAndParsesBack) {
  const std::pair<microseconds, const char*> durations[] = {
      {2500ms, "2500ms"}, {5s, "5s"}, {1min, "1m"}, {0s, "0s"}, {7us, "7us"}, {90s, "90s"}};
  for (const auto& [d, text] : durations) {
    SCOPED_TRACE(text);
    EXPECT_EQ(format_duration(d), text);
    EXPECT_EQ(*parse_duration(format_duration(d)), d);
  }
  const std::pair<std::uint64_t, const char*> sizes[] = {
      {0, "0"}, {1400, "1400"}, {65536, "64KiB"}, {16777216, "16MiB"}, {1073741824, "1GiB"}};
  for (const auto& [n, text] : sizes) {
    SCOPED_TRACE(text);
    EXPECT_EQ(format_size(n), text);
    EXPECT_EQ(*parse_size(format_size(n)), n);
  }
  EXPECT_EQ(format_size_range({1, 1400}), "1..1400");
  EXPECT_EQ(format_duration_range({0s, 2ms}), "0s..2ms");
}

}  // namespace
}  // namespace sockspec::scenario
