// Tests for the `line` service over TCP: framing, limits, pipelining, any segmentation, closing.
#include "targets/proto/line_session.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "targets/proto/test_driver.hpp"

namespace sockspec::proto {
namespace {

using namespace std::string_literals;
using testing::drive;
using testing::fixed_context;
using testing::Transcript;

Transcript run(const std::vector<std::string>& chunks, bool eof = false) {
  LineSession session(fixed_context("127.0.0.1:54321"));
  return drive(session, chunks, eof);
}

struct Row {
  std::string input;
  std::string reply;
  bool closed = false;
};

TEST(LineSession, AnswersEveryRowOfTheSpec) {
  const Row rows[] = {
      {"PING\n", "+PONG\r\n"},
      {"PING\r\n", "+PONG\r\n"},
      {"ping\n", "+PONG\r\n"},
      {"pInG\r\n", "+PONG\r\n"},
      {"ECHO hello\n", "+hello\r\n"},
      {"ECHO hello\r\n", "+hello\r\n"},
      {"echo MiXeD\r\n", "+MiXeD\r\n"},
      {"ECHO  two spaces\n", "+ two spaces\r\n"},
      {"ECHO a\rb\r\n", "+a\rb\r\n"},
      {"ECHO \n", "+\r\n"},
      {"ECHO\n", "+\r\n"},
      {"LEN hello\n", "+5\r\n"},
      {"len \xc3\xa9\r\n", "+2\r\n"},
      {"LEN\n", "+0\r\n"},
      {"WHOAMI\n", "+127.0.0.1:54321\r\n"},
      {"TIME\r\n", "+2026-11-23T18:55:05Z\r\n"},
      {"QUIT\n", "+BYE\r\n", true},
      {"quit\r\n", "+BYE\r\n", true},
      {"\n", "-ERR empty request\r\n"},
      {"\r\n", "-ERR empty request\r\n"},
      {"\r\r\n", "-ERR unknown command\r\n"},
      {"HELLO\n", "-ERR unknown command\r\n"},
      {"PING extra\n", "-ERR unknown command\r\n"},
      {"PING\0\n"s, "-ERR unknown command\r\n"},
      {"PING", ""},  // no LF yet: nothing
      {std::string(4097, 'x'), "-ERR line too long\r\n", true},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.input));
    const Transcript t = run({row.input});
    EXPECT_EQ(t.bytes, row.reply);
    EXPECT_EQ(t.closed, row.closed);
  }
}

TEST(LineSession, WhoamiAnswersThePeerItWasOpenedFor) {
  for (const char* peer : {"127.0.0.1:54321", "[::1]:40000", "10.1.2.3:1"}) {
    SCOPED_TRACE(peer);
    LineSession session(fixed_context(peer));
    EXPECT_EQ(drive(session, {"WHOAMI\n"}).bytes, "+"s + peer + "\r\n");
  }
}

TEST(LineSession, BinaryArgumentsPassThrough) {
  const std::string bytes = testing::all_bytes_except("\n");  // NUL and 0x80..0xff included
  const Transcript echo = run({"ECHO " + bytes + "\n"});
  EXPECT_EQ(echo.bytes, "+" + bytes + "\r\n");
  EXPECT_EQ(run({"LEN " + bytes + "\r\n"}).bytes, "+255\r\n");
  // A CR in the argument's last byte is the one CR that is dropped.
  EXPECT_EQ(run({"ECHO \0\r\r\n"s}).bytes, "+\0\r\r\n"s);
}

TEST(LineSession, AcceptsExactly4096BytesBeforeTheLf) {
  const std::string arg4091(4091, 'a');  // "ECHO " + 4091 = 4096
  const std::string arg4090(4090, 'a');
  struct Case {
    const char* name;
    std::vector<std::string> chunks;
    std::string reply;
    bool closed;
  };
  const Case cases[] = {
      {"4096 then LF", {"ECHO " + arg4091 + "\n"}, "+" + arg4091 + "\r\n", false},
      {"4096 then LF later", {"ECHO " + arg4091, "\n"}, "+" + arg4091 + "\r\n", false},
      {"4095 + CR LF", {"ECHO " + arg4090 + "\r\n"}, "+" + arg4090 + "\r\n", false},
      {"4097 then LF", {"ECHO " + arg4091 + "b\n"}, "-ERR line too long\r\n", true},
      {"4096 + CR LF (the CR counts)",
       {"ECHO " + arg4091 + "\r\n"},
       "-ERR line too long\r\n",
       true},
      {"4097 without LF", {"ECHO " + arg4091 + "b"}, "-ERR line too long\r\n", true},
      {"4097th byte in a later chunk", {"ECHO " + arg4091, "b"}, "-ERR line too long\r\n", true},
      {"4097th byte after many chunks",
       {"ECHO ", arg4091.substr(0, 2000), arg4091.substr(2000), "bc\n"},
       "-ERR line too long\r\n",
       true},
      {"4096 of CRs then LF", {std::string(4096, '\r') + "\n"}, "-ERR unknown command\r\n", false},
      {"after a short request",
       {"PING\n" + std::string(4097, 'x')},
       "+PONG\r\n-ERR line too long\r\n",
       true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Transcript t = run(c.chunks);
    EXPECT_EQ(t.bytes, c.reply);
    EXPECT_EQ(t.closed, c.closed);
  }
}

TEST(LineSession, RejectsAnOverlongLineWithoutWaitingForItsEnd) {
  LineSession session(fixed_context());
  Output first;
  session.on_data(as_bytes(std::string(4096, 'x')), first);
  EXPECT_EQ(first.bytes, "");
  EXPECT_FALSE(first.close_after);
  Output second;
  session.on_data(as_bytes("x"), second);
  EXPECT_EQ(second.bytes, "-ERR line too long\r\n");
  EXPECT_TRUE(second.close_after);
  // A megabyte more, with LFs and requests in it, changes nothing.
  Output third;
  session.on_data(as_bytes(std::string(1 << 20, 'y') + "\nPING\n"), third);
  EXPECT_EQ(third.bytes, "");
}

TEST(LineSession, AnswersPipelinedRequestsInOrder) {
  const Transcript t = run({"PING\nECHO a\r\nLEN abc\n\nWHOAMI\nnope\nTIME\n"});
  EXPECT_EQ(t.bytes,
            "+PONG\r\n+a\r\n+3\r\n-ERR empty request\r\n+127.0.0.1:54321\r\n"
            "-ERR unknown command\r\n+2026-11-23T18:55:05Z\r\n");
  EXPECT_FALSE(t.closed);
}

TEST(LineSession, QuitClosesAndIgnoresTheRest) {
  LineSession session(fixed_context());
  const Transcript t = drive(session, {"PING\nQUIT\nPING\nECHO x\n", "PING\n", "QUIT\n"}, true);
  EXPECT_EQ(t.bytes, "+PONG\r\n+BYE\r\n");
  EXPECT_TRUE(t.closed);
}

TEST(LineSession, OverlongIgnoresTheRestOfTheChunk) {
  const Transcript t = run({std::string(5000, 'x') + "\nPING\n", "PING\n"});
  EXPECT_EQ(t.bytes, "-ERR line too long\r\n");
  EXPECT_TRUE(t.closed);
}

TEST(LineSession, EofDropsAnUnterminatedLineAndCloses) {
  struct Case {
    std::vector<std::string> chunks;
    std::string reply;
  };
  const Case cases[] = {
      {{}, ""},
      {{"PING"}, ""},
      {{"PING\nPIN"}, "+PONG\r\n"},
      {{"PING\r"}, ""},
      {{"ECHO x\n", "QUIT"}, "+x\r\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.chunks));
    const Transcript t = run(c.chunks, /*eof=*/true);
    EXPECT_EQ(t.bytes, c.reply);
    EXPECT_TRUE(t.closed);
  }
}

TEST(LineSession, EmptyChunksChangeNothing) {
  const Transcript t = run({"", "PI", "", "NG", "", "\n", ""});
  EXPECT_EQ(t.bytes, "+PONG\r\n");
  EXPECT_FALSE(t.closed);
}

// The pipelined input of the segmentation tests and what it must produce, whatever the cuts.
// The final PING is never terminated, so it is never answered.
const std::string kPipelined =
    "PING\r\nECHO hello world\nlen 12345\r\n\nWHOAMI\nECHO \0\xff\r\r\nTIME\nbogus\r\nECHO "s +
    std::string(300, 'q') + "\nPING";
const std::string kPipelinedReplies =
    "+PONG\r\n+hello world\r\n+5\r\n-ERR empty request\r\n+127.0.0.1:54321\r\n+\0\xff\r\r\n"
    "+2026-11-23T18:55:05Z\r\n-ERR unknown command\r\n+"s +
    std::string(300, 'q') + "\r\n";

TEST(LineSession, OneChunkAnswersThePipeline) {
  EXPECT_EQ(run({kPipelined}).bytes, kPipelinedReplies);
}

TEST(LineSession, EverySplitPointGivesTheSameReplies) {
  for (std::size_t cut = 0; cut <= kPipelined.size(); ++cut) {
    SCOPED_TRACE(cut);
    const Transcript t = run(testing::split_at(kPipelined, {cut}), true);
    ASSERT_EQ(t.bytes, kPipelinedReplies);
    ASSERT_TRUE(t.closed);
  }
}

TEST(LineSession, OneByteChunksGiveTheSameReplies) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < kPipelined.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(run(testing::split_at(kPipelined, cuts)).bytes, kPipelinedReplies);
}

TEST(LineSession, RandomSegmentationsGiveTheSameReplies) {
  std::mt19937 rng(20261123);  // fixed seed: the same segmentations on every run
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::size_t> cuts;
    std::size_t at = 0;
    while (true) {
      at += 1 + rng() % 40;
      if (at >= kPipelined.size()) break;
      cuts.push_back(at);
    }
    SCOPED_TRACE(::testing::PrintToString(cuts));
    ASSERT_EQ(run(testing::split_at(kPipelined, cuts)).bytes, kPipelinedReplies);
  }
}

TEST(LineSession, EverySplitPointOfAQuitPipelineStopsAtQuit) {
  const std::string input = "PING\nQUIT\r\nPING\nECHO after\n";
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    SCOPED_TRACE(cut);
    const Transcript t = run(testing::split_at(input, {cut}));
    ASSERT_EQ(t.bytes, "+PONG\r\n+BYE\r\n");
    ASSERT_TRUE(t.closed);
  }
}

}  // namespace
}  // namespace sockspec::proto
