// Tests for chargen: the exact RFC 864 pattern, its rotation across produce() calls, UDP answers.
#include "targets/proto/chargen.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

// Line i of the pattern, computed independently of chargen_byte().
std::string expected_line(std::size_t i) {
  const std::string alphabet = [] {
    std::string a;
    for (char c = ' '; c <= '~'; ++c) a.push_back(c);
    return a;
  }();
  std::string line;
  for (std::size_t k = 0; k < 72; ++k) line.push_back(alphabet[(i + k) % 95]);
  return line + "\r\n";
}

std::string expected_lines(std::size_t count) {
  std::string all;
  for (std::size_t i = 0; i < count; ++i) all += expected_line(i);
  return all;
}

TEST(ChargenPattern, FirstLinesAreExact) {
  const struct {
    std::size_t index;
    std::string line;
  } rows[] = {
      {0, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n"},
      {1, "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n"},
      {23, "789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\r\n"},
      {24, "89:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ \r\n"},
      {94, "~ !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdef\r\n"},
      {95, " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.index);
    ASSERT_EQ(row.line.size(), kChargenLineBytes);
    EXPECT_EQ(row.line, expected_line(row.index));
    std::string got;
    append_chargen(row.index * kChargenLineBytes, kChargenLineBytes, got);
    EXPECT_EQ(got, row.line);
  }
}

TEST(ChargenPattern, AppendMatchesChargenByteOverTwoCycles) {
  std::string got;
  append_chargen(0, 2 * kChargenCycleBytes + 5, got);
  EXPECT_EQ(got, expected_lines(2 * kChargenAlphabet) + expected_line(0).substr(0, 5));
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], chargen_byte(i)) << i;
}

TEST(ChargenSession, RotationContinuesExactlyAcrossProduceCalls) {
  const std::vector<std::vector<std::size_t>> size_lists = {
      {1, 7, 73, 74, 75, 13, 1000, 7031, 2, 0, 3},
      {7030, 7030, 1},
      {16384, 16384},
  };
  for (const auto& sizes : size_lists) {
    SCOPED_TRACE(::testing::PrintToString(sizes));
    ChargenSession session;
    std::string got;
    std::size_t total = 0;
    for (std::size_t max : sizes) {
      ASSERT_TRUE(session.wants_more());
      Output out;
      session.produce(max, out);
      EXPECT_EQ(out.bytes.size(), max);
      EXPECT_FALSE(out.close_after);
      got += out.bytes;
      total += max;
    }
    std::string expected;
    append_chargen(0, total, expected);
    EXPECT_EQ(got, expected);
    EXPECT_EQ(got.substr(0, 3 * kChargenLineBytes), expected_lines(3));
  }
}

TEST(ChargenSession, IgnoresInputAndKeepsProducingAfterEof) {
  ChargenSession session;
  const testing::Transcript t = testing::drive(session, {"PING\n", "stop"}, /*eof=*/true);
  EXPECT_EQ(t.bytes, "");
  EXPECT_FALSE(t.closed);  // RFC 864: until the client closes, not until it half-closes
  EXPECT_TRUE(session.wants_more());
  Output out;
  session.produce(kChargenLineBytes, out);
  EXPECT_EQ(out.bytes, expected_line(0));
}

TEST(ChargenDatagramService, AnswersSixPrintableLines) {
  const ChargenDatagramService service;
  const Context ctx = testing::fixed_context();
  for (const std::string& d : {std::string(), std::string("x"), std::string(1000, 'y')}) {
    SCOPED_TRACE(d.size());
    const std::optional<std::string> reply = service.answer(as_bytes(d), ctx);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->size(), 444u);
    EXPECT_LE(reply->size(), 512u);  // RFC 864: 0 to 512 characters
    EXPECT_EQ(*reply, expected_lines(6));
    for (char c : *reply) {
      EXPECT_TRUE((c >= 32 && c <= 126) || c == '\r' || c == '\n') << static_cast<int>(c);
    }
  }
}

}  // namespace
}  // namespace sockspec::proto
