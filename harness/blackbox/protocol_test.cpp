// Tests of the protocol mode's model half: a profile's exchanges made into a greeting, a probe,
// seeds and a dictionary.
#include "harness/blackbox/protocol.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sockspec::blackbox {
namespace {

using scenario::Transport;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Protocol protocol_of(const std::string& exchanges, Transport t = Transport::tcp) {
  net::Result<target::Profile> p = target::load_profile_text(
      "name: srv\nargv: [srv, '{port}']\nport: pick\ncapabilities: "
      "[tcp, udp]\nexchanges:\n" +
          exchanges,
      "srv.yaml");
  EXPECT_TRUE(p.ok()) << p.error().message;
  net::Result<Protocol> made = make_protocol(*p, t);
  EXPECT_TRUE(made.ok()) << made.error().message;
  return made ? *made : Protocol{};
}

constexpr const char* kRedisLike = R"(  tcp:
    requests:
      ping: {request: {text: 'PING\r\n'}, reply: {text: '+PONG\r\n'}}
      quit: {request: {text: 'QUIT\r\n'}, reply: {text: '+OK\r\n'}}
      token: {request: {text: 'ECHO {client}.{seq}\r\n'}, reply: {regex: '\+{client}\.{seq}\r\n'}}
    closing: quit
)";

constexpr const char* kMqttLike = R"(  tcp:
    hello: {request: {hex: "10 0c 00 04 4d 51 54 54 04 02 00 00 00 00"}, reply: {hex: "20 02 00 00"}}
    requests:
      ping: {request: {hex: "c0 00"}, reply: {hex: "d0 00"}}
      topic: {request: {text: '\x82\x0b\x00\x01\x00\x06sock/a\x00'}, reply: {length: 5}}
)";

TEST(Protocol, RendersTheProbeAndTheGreeting) {
  const Protocol p = protocol_of(kMqttLike);
  EXPECT_EQ(p.name, "srv");
  EXPECT_EQ(p.probe_name, "ping");
  EXPECT_EQ(p.probe_request, std::string("\xc0\x00", 2));
  EXPECT_EQ(p.probe_reply.bytes, std::string("\xd0\x00", 2));
  ASSERT_TRUE(p.hello.has_value());
  EXPECT_EQ(p.hello->size(), 14U);
  ASSERT_TRUE(p.steps.hello.has_value());
  EXPECT_EQ(p.steps.hello->bytes, *p.hello);
  ASSERT_TRUE(p.hello_reply.has_value());
  EXPECT_EQ(p.hello_reply->bytes, std::string("\x20\x02\x00\x00", 4));
  EXPECT_FALSE(p.banner.has_value());
}

TEST(Protocol, AProfileWithoutExchangesOverTheTransportIsAnError) {
  net::Result<target::Profile> p = target::load_profile_text(
      std::string("name: srv\nargv: [srv, '{port}']\nport: pick\nexchanges:\n") + kRedisLike,
      "srv.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  net::Result<Protocol> made = make_protocol(*p, Transport::udp);
  ASSERT_FALSE(made.ok());
  EXPECT_THAT(made.error().message, HasSubstr("profile 'srv' declares no exchanges over udp"));
}

TEST(ProtocolSeeds, EveryRequestRenderedThenTheSequenceWithTheClosingOneLast) {
  const Protocol p = protocol_of(kRedisLike);
  EXPECT_THAT(protocol_seeds(p, 4096),
              ElementsAre("PING\r\n", "QUIT\r\n", "ECHO 0.0\r\n", "PING\r\nECHO 0.0\r\nQUIT\r\n"));
}

TEST(ProtocolSeeds, CutToMaxLenAndNoSequenceWithoutKeepAliveOrOverUdp) {
  const Protocol p = protocol_of(kRedisLike);
  EXPECT_THAT(protocol_seeds(p, 4), ElementsAre("PING", "QUIT", "ECHO"));
  Protocol once = p;
  once.keep_alive = false;
  EXPECT_THAT(protocol_seeds(once, 4096), ElementsAre("PING\r\n", "QUIT\r\n", "ECHO 0.0\r\n"));
  const Protocol udp = protocol_of(R"(  udp:
    requests:
      ping: {request: {text: 'PING'}, reply: {text: '+PONG'}}
      time: {request: {text: 'TIME'}, reply: {regex: '.*'}}
)",
                                   Transport::udp);
  EXPECT_THAT(protocol_seeds(udp, 4096), ElementsAre("PING", "TIME"));
}

TEST(ProtocolSeeds, ASequenceLeavesOutWhatDoesNotFit) {
  const Protocol p = protocol_of(kRedisLike);
  // 6 + 6 bytes fit in 12; "ECHO 0.0\r\n" (10) after "PING\r\n" does not.
  EXPECT_THAT(protocol_seeds(p, 12), Contains("PING\r\nQUIT\r\n"));
}

TEST(ProtocolDictionary, TextSplitsAtSpacesLineEndsAndPunctuation) {
  const Dictionary d = protocol_dictionary({"PING\r\n", "SET key-1 7.3\r\n"});
  EXPECT_THAT(d.entries, ElementsAre("PING\r\n", "SET key-1 7.3\r\n", "PING", "\r\n", "SET", " ",
                                     "key", "-", "."));
}

TEST(ProtocolDictionary, BinaryFieldsBehindTheirLengthPrefixes) {
  const Protocol p = protocol_of(kMqttLike);
  const Dictionary d = protocol_dictionary(p.requests);
  const std::string topic = "sock/a";
  // Whole short messages, to stack onto others.
  EXPECT_THAT(d.entries, Contains(std::string("\xc0\x00", 2)));
  // The topic behind its two-byte length, with and without the prefix.
  EXPECT_THAT(d.entries, Contains(topic));
  EXPECT_THAT(d.entries, Contains(std::string("\x00\x06", 2) + topic));
  // The packet's remaining length (0x0b) covers the rest of the message.
  EXPECT_THAT(d.entries, Contains(std::string("\x0b\x00\x01\x00\x06sock/a\x00", 12)));
  // No token made of bytes that are not text and not behind a length.
  EXPECT_THAT(d.entries, Not(Contains(std::string("\x01", 1))));
}

TEST(ProtocolDictionary, SmallAndDistinct) {
  std::vector<std::string> requests;
  for (int i = 0; i < 200; ++i) requests.push_back("CMD" + std::to_string(i) + " x\r\n");
  requests.push_back("CMD0 x\r\n");
  const Dictionary d = protocol_dictionary(requests);
  EXPECT_EQ(d.entries.size(), kMaxTokens);
  std::set<std::string> distinct(d.entries.begin(), d.entries.end());
  EXPECT_EQ(distinct.size(), d.entries.size());
  for (const std::string& e : d.entries) EXPECT_LE(e.size(), kMaxToken);
}

}  // namespace
}  // namespace sockspec::blackbox
