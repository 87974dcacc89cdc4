// Tests of the black-box oracles: the reference models of echo, discard and line, TCP and UDP.
#include "harness/blackbox/oracle.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

struct StreamCase {
  std::string name;
  std::string service;
  std::vector<std::string> sends;
  bool eof;
  std::string owed;  // everything owed, over all calls
  bool closes;
};

TEST(StreamOracle, OnlyLineUsesThePeer) {
  EXPECT_TRUE(StreamOracle::uses_peer("line"));
  for (const char* service : {"echo", "discard", "daytime", "chargen"}) {
    EXPECT_FALSE(StreamOracle::uses_peer(service)) << service;
  }
  // So an echo model made without our address owes what one made with it does.
  auto with = StreamOracle::make("echo", "127.0.0.1:40000");
  auto without = StreamOracle::make("echo", "");
  ASSERT_TRUE(with && without);
  EXPECT_EQ(with->on_send("WHOAMI\n").bytes, without->on_send("WHOAMI\n").bytes);
}

TEST(StreamOracle, OwesWhatTheReferenceServerSends) {
  const std::string overlong(4097, 'x');
  const std::vector<StreamCase> cases = {
      {"echo", "echo", {"ab", std::string("\0\xff", 2)}, false, std::string("ab\0\xff", 4), false},
      {"echo eof", "echo", {"ab"}, true, "ab", true},
      {"discard", "discard", {"PING\n", "data"}, false, "", false},
      {"discard eof", "discard", {"PING\n"}, true, "", true},
      {"line ping", "line", {"PING\n"}, false, "+PONG\r\n", false},
      {"line pipelined",
       "line",
       {"PING\nECHO a b\nLEN xyz\n"},
       false,
       "+PONG\r\n+a b\r\n+3\r\n",
       false},
      {"line split", "line", {"PI", "NG", "\r", "\nEC", "HO x\n"}, false, "+PONG\r\n+x\r\n", false},
      {"line whoami", "line", {"WHOAMI\n"}, false, "+127.0.0.1:40000\r\n", false},
      {"line errors",
       "line",
       {"\nFROB\n"},
       false,
       "-ERR empty request\r\n-ERR unknown command\r\n",
       false},
      {"line quit", "line", {"PING\nQUIT\nPING\n", "PING\n"}, false, "+PONG\r\n+BYE\r\n", true},
      {"line overlong", "line", {overlong, "\nPING\n"}, false, "-ERR line too long\r\n", true},
      {"line overlong split",
       "line",
       {std::string(4000, 'y'), std::string(97, 'y')},
       false,
       "-ERR line too long\r\n",
       true},
      {"line longest",
       "line",
       {"ECHO " + std::string(4091, 'z') + "\n"},
       false,
       "+" + std::string(4091, 'z') + "\r\n",
       false},
      {"line partial then eof", "line", {"PING\nPIN"}, true, "+PONG\r\n", true},
  };
  for (const StreamCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::unique_ptr<StreamOracle> o = StreamOracle::make(c.service, "127.0.0.1:40000");
    ASSERT_NE(o, nullptr);
    Owed all;
    for (const std::string& s : c.sends) {
      const Owed owed = o->on_send(s);
      all.bytes += owed.bytes;
      all.closes = all.closes || owed.closes;
      EXPECT_EQ(o->check(owed, owed.bytes), std::nullopt);
    }
    if (c.eof) {
      const Owed owed = o->on_eof();
      all.bytes += owed.bytes;
      all.closes = all.closes || owed.closes;
    }
    EXPECT_EQ(all.bytes, c.owed);
    EXPECT_EQ(all.closes, c.closes);
  }
}

TEST(StreamOracle, OwesNothingMoreOnceClosed) {
  const std::unique_ptr<StreamOracle> o = StreamOracle::make("line", "127.0.0.1:1");
  EXPECT_TRUE(o->on_send("QUIT\n").closes);
  const Owed later = o->on_send("PING\n");
  EXPECT_EQ(later.bytes, "");
  EXPECT_TRUE(later.closes);
  EXPECT_EQ(o->on_eof().bytes, "");
}

TEST(StreamOracle, HasNoModelForGenerators) {
  EXPECT_EQ(StreamOracle::make("daytime", "127.0.0.1:1"), nullptr);
  EXPECT_EQ(StreamOracle::make("chargen", "127.0.0.1:1"), nullptr);
  EXPECT_EQ(StreamOracle::make("nonesuch", "127.0.0.1:1"), nullptr);
  EXPECT_EQ(DatagramOracle::make("daytime"), nullptr);
}

TEST(StreamOracle, ComparesTimeByForm) {
  const std::unique_ptr<StreamOracle> o = StreamOracle::make("line", "127.0.0.1:1");
  const Owed owed = o->on_send("PING\nTIME\nTIME\nPING\n");
  struct Case {
    std::string received;
    std::optional<std::string> verdict;
  };
  const std::vector<Case> cases = {
      {"+PONG\r\n+2026-11-23T18:55:05Z\r\n+1999-01-01t00:00:00z\r\n+PONG\r\n", std::nullopt},
      {"+PONG\r\n+2026-11-23T18:55:05+00:00\r\n+2026-11-23T18:55:05Z\r\n+PONG\r\n", std::nullopt},
      {"+PONG\r\n+2026-11-23 18:55:05Z\r\n+2026-11-23T18:55:05Z\r\n+PONG\r\n",
       "byte 8: expected a UTC time YYYY-MM-DDThh:mm:ssZ (TIME), got \"2026-11-23 18:55:05Z\""},
      {"+PONG\r\n+2026-11-23T18:55:05Z\r\n+2026-11-23T18:55:05Z\n+PONG\r\n",
       "byte 51: expected 0x0d, got 0x0a"},
      {"+PONG\r\n+2026-11-23T18:55:05Z\r\n+2026-11-23T18:55:05Z\r\n", "expected 60 bytes, got 53"},
      {"+PONG\r\n+2026-11-23T18:55:05+00:00\r\n", "expected 65 bytes, got 35"},
      {"+PONG\r\n+2026-11-2", "expected 60 bytes, got 17"},
      {"+PING\r\n", "byte 2: expected 0x4f 'O', got 0x49 'I'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.received);
    EXPECT_EQ(o->check(owed, c.received), c.verdict);
  }
}

TEST(StreamOracle, ComparesOtherServicesByteForByte) {
  const std::unique_ptr<StreamOracle> o = StreamOracle::make("echo", "127.0.0.1:1");
  const Owed owed = o->on_send("2001-02-03T04:05:06Z");
  EXPECT_EQ(o->check(owed, "2001-02-03T04:05:06Z"), std::nullopt);
  EXPECT_THAT(o->check(owed, "2026-02-03T04:05:06Z"), Optional(HasSubstr("byte 2:")));
}

struct DatagramCase {
  std::string service;
  std::string request;
  std::optional<std::string> reply;
};

TEST(DatagramOracle, AnswersAsTheReferenceServer) {
  const std::vector<DatagramCase> cases = {
      {"echo", std::string("\0\xff\n", 3), std::string("\0\xff\n", 3)},
      {"echo", "", ""},
      {"discard", "PING\n", std::nullopt},
      {"line", "PING", "+PONG\r\n"},
      {"line", "ping\r\n", "+PONG\r\n"},
      {"line", "PING\r", "+PONG\r\n"},
      {"line", "PING\nPING", "-ERR one request per datagram\r\n"},
      {"line", "PING\n\n", "-ERR one request per datagram\r\n"},
      {"line", "", "-ERR empty request\r\n"},
      {"line", "\n", "-ERR empty request\r\n"},
      {"line", std::string(5000, 'x'), "-ERR line too long\r\n"},
      {"line", "ECHO " + std::string(4091, 'a') + "\n", "+" + std::string(4091, 'a') + "\r\n"},
      {"line", "QUIT\n", "+BYE\r\n"},
      {"line", "WHOAMI", "+[::1]:5353\r\n"},
  };
  for (const DatagramCase& c : cases) {
    SCOPED_TRACE(c.service + " " + c.request.substr(0, 20));
    const std::unique_ptr<DatagramOracle> o = DatagramOracle::make(c.service);
    ASSERT_NE(o, nullptr);
    const std::optional<std::string> reply = o->expected(c.request, "[::1]:5353");
    EXPECT_EQ(reply, c.reply);
    if (reply) {
      EXPECT_EQ(o->check(*reply, *reply), std::nullopt);
    }
  }
}

TEST(DatagramOracle, ComparesTimeByForm) {
  const std::unique_ptr<DatagramOracle> o = DatagramOracle::make("line");
  const std::optional<std::string> reply = o->expected("TIME", "127.0.0.1:1");
  ASSERT_TRUE(reply);
  EXPECT_EQ(o->check(*reply, "+2030-06-07T08:09:10Z\r\n"), std::nullopt);
  EXPECT_THAT(o->check(*reply, "+PONG\r\n"), Optional(HasSubstr("expected 23 bytes, got 7")));
  EXPECT_THAT(o->check(*reply, "+Mon, 07 Jun 2030 08:09:10\r\n"),
              Optional(HasSubstr("expected a UTC time")));
}

TEST(DescribeDifference, SaysWhereBytesDiffer) {
  struct Case {
    std::string expected, received;
    std::optional<std::string> verdict;
  };
  const std::vector<Case> cases = {
      {"same", "same", std::nullopt},
      {"", "", std::nullopt},
      {"hello world!", "hello", "expected 12 bytes, got 5"},
      {"hi", "hi!", "expected 2 bytes, got 3"},
      {"0123456789abcdefgA", "0123456789abcdefgB", "byte 17: expected 0x41 'A', got 0x42 'B'"},
      {std::string("\0", 1), "\xff", "byte 0: expected 0x00, got 0xff"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(describe_difference(c.expected, c.received), c.verdict);
  }
}

}  // namespace
}  // namespace sockspec::blackbox
