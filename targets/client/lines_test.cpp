// Tests of request splitting and of reply-line counting across arbitrary chunking.
#include "targets/client/lines.hpp"

#include <gtest/gtest.h>

#include <random>

namespace sockspec::client {
namespace {

std::span<const std::byte> bytes(std::string_view s) {
  return std::as_bytes(std::span(s));
}

TEST(SplitRequestLines, KeepsEachLineAsGiven) {
  using Lines = std::vector<std::string_view>;
  EXPECT_EQ(split_request_lines(""), Lines{});
  EXPECT_EQ(split_request_lines("\n"), Lines{"\n"});
  EXPECT_EQ(split_request_lines("PING"), Lines{"PING"});
  EXPECT_EQ(split_request_lines("PING\r\nLEN ab\n"), (Lines{"PING\r\n", "LEN ab\n"}));
  EXPECT_EQ(split_request_lines("A\n\nB"), (Lines{"A\n", "\n", "B"}));
}

TEST(TerminateLastLine, AddsAnLfOnlyWhereMissing) {
  EXPECT_EQ(terminate_last_line("PING"), "PING\n");
  EXPECT_EQ(terminate_last_line("PING\n"), "PING\n");
  EXPECT_EQ(terminate_last_line("A\nB"), "A\nB\n");
  EXPECT_EQ(terminate_last_line(""), "");
}

// Feeds `stream` cut at `cuts` and returns what the counter let through.
std::string deliver(ReplyLineCounter& counter, std::string_view stream,
                    const std::vector<std::size_t>& cuts) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t end = i < cuts.size() ? cuts[i] : stream.size();
    const auto chunk = stream.substr(at, end - at);
    out += chunk.substr(0, counter.feed(bytes(chunk)));
    at = end;
  }
  return out;
}

TEST(ReplyLineCounter, StopsAfterTheExpectedLinesWhateverTheChunking) {
  const std::string stream = "+PONG\r\n+3\r\n-ERR unknown command\r\n+EXTRA\r\ntrailing";
  const std::string first_three = "+PONG\r\n+3\r\n-ERR unknown command\r\n";
  std::mt19937 random(12345);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < stream.size(); ++i) {
      if (random() % 4 == 0) cuts.push_back(i);
    }
    SCOPED_TRACE(::testing::Message() << "round " << round << ", " << cuts.size() << " cuts");
    ReplyLineCounter counter(3);
    EXPECT_EQ(deliver(counter, stream, cuts), first_three);
    EXPECT_TRUE(counter.complete());
    EXPECT_EQ(counter.lines_seen(), 3u);
  }
}

TEST(ReplyLineCounter, OneByteAtATime) {
  const std::string stream = "+A\r\n+B\r\n+C\r\n";
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  ReplyLineCounter counter(2);
  EXPECT_EQ(deliver(counter, stream, cuts), "+A\r\n+B\r\n");
  EXPECT_TRUE(counter.complete());
}

TEST(ReplyLineCounter, IsIncompleteUntilTheLastLfArrives) {
  ReplyLineCounter counter(2);
  EXPECT_EQ(counter.feed(bytes("+A\r\n+B\r")), 7u);
  EXPECT_FALSE(counter.complete());
  EXPECT_EQ(counter.lines_seen(), 1u);
  EXPECT_EQ(counter.feed(bytes("\nmore")), 1u);
  EXPECT_TRUE(counter.complete());
  EXPECT_EQ(counter.feed(bytes("+C\r\n")), 0u);
  EXPECT_EQ(counter.lines_seen(), 2u);
}

TEST(ReplyLineCounter, CountsABareLfAndKeepsCrInsideALine) {
  ReplyLineCounter counter(2);
  EXPECT_EQ(counter.feed(bytes("+a\r\r\n+b\n+c\r\n")), 8u);
  EXPECT_TRUE(counter.complete());
}

}  // namespace
}  // namespace sockspec::client
