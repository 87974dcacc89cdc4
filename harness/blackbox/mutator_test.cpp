// Tests of the black-box mutator: determinism, bounds, growth, crossover, dictionaries, segments.
#include "harness/blackbox/mutator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "targets/testing/temp_dir.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::StartsWith;

TEST(Mutator, SameSeedGivesSameMutants) {
  Mutator a(42, 256);
  Mutator b(42, 256);
  Mutator c(43, 256);
  std::string x = "PING\n";
  std::string y = x;
  int differs_from_c = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string ma = a.mutate(x, "ECHO hi\n");
    const std::string mb = b.mutate(y, "ECHO hi\n");
    ASSERT_EQ(ma, mb) << "mutation " << i;
    if (c.mutate(x, "ECHO hi\n") != ma) ++differs_from_c;
    x = ma;
    y = mb;
  }
  EXPECT_GT(differs_from_c, 900);
}

TEST(Mutator, NeverExceedsMaxSizeAndAlwaysChanges) {
  struct Case {
    std::size_t max_size;
    std::string input;
    std::string other;
  };
  const std::vector<Case> cases = {
      {1, "", ""},
      {1, "x", ""},
      {16, "", "other"},
      {16, "0123456789abcdef", ""},
      {16, std::string(40, 'z'), ""},  // longer than max_size: cut
      {64, "LEN 4096\n", std::string(100, 'q')},
      {4096, "ECHO hello\n", "PING\r\n"},
      {4096, std::string(4096, '\0'), "x"},
  };
  Dictionary dict{{"PING", "\r\n", std::string(20, 'D')}};
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "max " << c.max_size << ", input " << c.input.size());
    Mutator m(7, c.max_size, dict);
    for (int i = 0; i < 10000; ++i) {
      const std::string out = m.mutate(c.input, c.other);
      ASSERT_LE(out.size(), c.max_size) << "mutation " << i;
      ASSERT_NE(out, c.input) << "mutation " << i;
    }
  }
}

TEST(Mutator, ChainedMutationsStayWithinMaxSize) {
  Mutator m(3, 512);
  std::string x = "seed";
  for (int i = 0; i < 10000; ++i) {
    x = m.mutate(x, "PING\nPING\n");
    ASSERT_LE(x.size(), 512U);
  }
}

// Length bugs (a 2 KiB buffer) must be found in seconds: big runs and copies come often.
TEST(Mutator, GrowsATenByteSeedToTwoKilobytesQuickly) {
  for (const std::uint64_t seed : {1U, 2U, 3U, 4U, 5U}) {
    SCOPED_TRACE(seed);
    Mutator m(seed, 4096);
    int reached_at = -1;
    for (int i = 0; i < 300 && reached_at < 0; ++i) {
      if (m.mutate("PING\nPING\n").size() >= 2000) reached_at = i;
    }
    EXPECT_GE(reached_at, 0);
  }
}

TEST(Mutator, CrossesOverWithOther) {
  Mutator m(9, 64);
  int with_other = 0;
  for (int i = 0; i < 500; ++i) {
    if (m.mutate("aaaaaaaa", "zzzzzzzz").find("zz") != std::string::npos) ++with_other;
  }
  EXPECT_GT(with_other, 10);
}

TEST(Mutator, InsertsDictionaryEntries) {
  Mutator m(11, 128, Dictionary{{"MAGICWORD"}});
  int with_entry = 0;
  for (int i = 0; i < 500; ++i) {
    if (m.mutate("hello there").find("MAGICWORD") != std::string::npos) ++with_entry;
  }
  EXPECT_GT(with_entry, 10);
}

TEST(MutatorSegments, SumToTotalWithPositiveSizes) {
  Mutator m(5, 16);
  int single = 0;
  int two = 0;
  int more = 0;
  for (const std::size_t total : {2U, 3U, 17U, 1000U, 65536U}) {
    for (int i = 0; i < 400; ++i) {
      const std::vector<std::size_t> s = m.segments(total);
      ASSERT_EQ(std::accumulate(s.begin(), s.end(), std::size_t{0}), total);
      ASSERT_THAT(s.size(), AllOf(Ge(1U), Le(17U)));
      for (const std::size_t n : s) ASSERT_GE(n, 1U);
      if (total == 2) continue;  // one cut at most
      ++(s.size() == 1 ? single : s.size() == 2 ? two : more);
    }
  }
  // Of 1600: half whole, 3/8 cut once (one send more, and mostly a read boundary more at the
  // server), 1/8 cut at 2..16 points.
  EXPECT_THAT(single, AllOf(Ge(700), Le(900)));
  EXPECT_THAT(two, AllOf(Ge(520), Le(680)));
  EXPECT_THAT(more, AllOf(Ge(140), Le(260)));
}

TEST(MutatorSegments, OneSegmentForZeroOrOneByte) {
  Mutator m(5, 16);
  EXPECT_THAT(m.segments(0), ElementsAre(0U));
  EXPECT_THAT(m.segments(1), ElementsAre(1U));
}

TEST(ParseDictionary, ReadsLibFuzzerAndAflEntries) {
  const std::string text =
      "# a comment\n"
      "\n"
      "kw1=\"PING\"\n"
      "  kw_2 = \"ECHO \"  \n"
      "\"\\x0d\\x0A\"\n"
      "header@1=\"\\x00\\xff\\\\\\\"\"\r\n"
      "\"PING\"\n";  // a duplicate: kept once
  const net::Result<Dictionary> d = parse_dictionary(text, "line.dict");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_THAT(d->entries, ElementsAre("PING", "ECHO ", "\r\n", std::string("\0\xff\\\"", 4)));
}

TEST(ParseDictionary, ReportsErrorsWithNameAndLine) {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"\"ok\"\nPING\n", "x.dict:2: expected a quoted value"},
      {"\n\n\"open\n", "x.dict:3: expected the value to end with '\"'"},
      {"\"a\\qb\"\n", "x.dict:1: unknown escape '\\q'"},
      {"\"\\x4\"\n", "x.dict:1: bad escape '\\x4'"},
      {"\"\\xzz\"\n", "x.dict:1: bad escape '\\xzz'"},
      {"kw \"v\"\n", "x.dict:1: expected '=' before the value"},
      {"k!w=\"v\"\n", "x.dict:1: bad entry name 'k!w'"},
      {"\"a\"b\"\n", "x.dict:1: unescaped '\"'"},
      {"\"a\\\"\n", "x.dict:1: '\\' at the end of the value"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const net::Result<Dictionary> d = parse_dictionary(c.text, "x.dict");
    ASSERT_FALSE(d.ok());
    EXPECT_THAT(d.error().message, StartsWith(c.error));
  }
}

TEST(LoadDictionary, ReadsAFileAndNamesItInErrors) {
  const sockspec::testing::TempDir dir;
  const std::string path = dir.file("blackbox_mutator_test.dict");
  { std::ofstream(path) << "# line words\nw=\"QUIT\"\nbad\n"; }
  const net::Result<Dictionary> d = load_dictionary(path);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().message, path + ":3: expected a quoted value");
  { std::ofstream(path) << "w=\"QUIT\"\n"; }
  const net::Result<Dictionary> ok = load_dictionary(path);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_THAT(ok->entries, ElementsAre("QUIT"));
  const net::Result<Dictionary> missing = load_dictionary(path + ".missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr(path + ".missing"));
}

}  // namespace
}  // namespace sockspec::blackbox
