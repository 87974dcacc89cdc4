// Tests of findings: stable ids, replay scenarios built from the model, YAML that loads back.
#include "harness/blackbox/finding.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "harness/scenario/loader.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

namespace step = scenario::step;

Finding finding(Mode mode, std::string service, Messages messages,
                FindingKind kind = FindingKind::oracle) {
  Finding f;
  f.kind = kind;
  f.mode = mode;
  f.service = std::move(service);
  f.messages = std::move(messages);
  f.detail = "byte 3: expected 0x41 'A', got 0x42 'B'";
  f.target = "reference-epoll";
  f.stderr_tail = "==1==ERROR: AddressSanitizer: heap-buffer-overflow\n\x01odd\xff bytes\n";
  f.exec = 1234;
  f.seconds = 12.5;
  return f;
}

// Messages that exercise every way a step's data and replies are written.
const std::vector<Messages>& message_sets() {
  static const std::vector<Messages> sets = {
      {"PING\n"},
      {"ECHO {client} {{x}\n", "WHOAMI\nTIME\nLEN ab\n"},
      {std::string("ECHO \0\xff\x80 bin\r\n", 15), std::string(1, '\0'), "\xff"},
      {"TIME\n", "WHOAMI\n", "QUIT\nPING\n", "PING\n"},
      {std::string(5000, 'x'), "PING\n"},
      {"ECHO " + std::string(5000, '\x01') + "\n"},
      {"no newline", "", "\r\n"},
  };
  return sets;
}

TEST(FindingYaml, LoadsBackEqualForEveryModeAndService) {
  for (const Mode mode : {Mode::persistent, Mode::per_connection, Mode::datagram}) {
    for (const char* service : {"echo", "discard", "line", "daytime", "chargen"}) {
      for (const Messages& messages : message_sets()) {
        for (const FindingKind kind : {FindingKind::died, FindingKind::oracle}) {
          const Finding f = finding(mode, service, messages, kind);
          SCOPED_TRACE(testing::Message()
                       << mode_name(mode) << " " << service << " " << messages.size()
                       << " messages, first " << messages.front().size() << " bytes");
          const std::string yaml = finding_yaml(f);
          const net::Result<scenario::Scenario> loaded =
              scenario::load_scenario_text(yaml, "finding.yaml");
          ASSERT_TRUE(loaded.ok()) << loaded.error().message << "\n" << yaml.substr(0, 3000);
          EXPECT_EQ(*loaded, finding_scenario(f));
        }
      }
    }
  }
}

TEST(FindingYaml, StartsWithACommentBlock) {
  const std::string yaml = finding_yaml(finding(Mode::persistent, "echo", {"x"}));
  EXPECT_THAT(yaml, StartsWith("# Fuzz finding: the echo service over TCP"));
  EXPECT_THAT(yaml, HasSubstr("# Found by `sockspec fuzz` against reference-epoll: mode "
                              "persistent, execution 1234, 12.5 s in; not minimised.\n"));
  EXPECT_THAT(yaml, HasSubstr("# oracle: byte 3: expected 0x41 'A', got 0x42 'B'\n"));
  EXPECT_THAT(yaml, HasSubstr("# stderr tail:\n#   ==1==ERROR: AddressSanitizer"));
  EXPECT_THAT(yaml, HasSubstr("#   \\x01odd\\xff bytes\n"));
  EXPECT_THAT(yaml, HasSubstr("\nid: fuzz/echo-oracle-"));
}

TEST(FindingId, IsStableAndDependsOnKindServiceModeAndMessages) {
  const Finding base = finding(Mode::persistent, "echo", {"ab", "c"}, FindingKind::died);
  const std::string id = finding_id(base);
  EXPECT_THAT(id, MatchesRegex("fuzz/echo-died-[0-9a-f]{8}"));
  EXPECT_EQ(id, finding_id(base));
  Finding other_detail = base;
  other_detail.detail = "killed by SIGSEGV";
  other_detail.exec = 99;
  EXPECT_EQ(finding_id(other_detail), id);  // how it was found is not what it is
  std::vector<Finding> variants(5, base);
  variants[0].messages = {"a", "bc"};
  variants[1].kind = FindingKind::hang;
  variants[2].service = "line";
  variants[3].mode = Mode::per_connection;
  variants[4].messages = {"ab", "d"};
  for (const Finding& v : variants) EXPECT_NE(finding_id(v), id);
  // Pinned: ids name files in users' repositories, so the hash must not change.
  // FNV-1a of "died\0line\0persistent\0" "5:PING\n", computed independently.
  EXPECT_EQ(finding_id(finding(Mode::persistent, "line", {"PING\n"}, FindingKind::died)),
            "fuzz/line-died-19c285b3");
}

TEST(FindingScenario, DescribesTheCase) {
  const scenario::Scenario s =
      finding_scenario(finding(Mode::persistent, "echo", {"x"}, FindingKind::oracle));
  EXPECT_THAT(s.requirements, ElementsAre("SVC-1", "STR-1"));
  EXPECT_THAT(s.needs, ElementsAre("tcp", "echo"));
  EXPECT_THAT(s.tags, ElementsAre("fuzz"));
  EXPECT_THAT(s.families, ElementsAre(scenario::Family::ipv4));
  Finding v6 = finding(Mode::datagram, "line", {"x"}, FindingKind::died);
  v6.family = scenario::Family::ipv6;
  const scenario::Scenario u = finding_scenario(v6);
  EXPECT_THAT(u.requirements, ElementsAre("SVC-5"));
  EXPECT_THAT(u.needs, ElementsAre("udp", "line"));
  EXPECT_THAT(u.families, ElementsAre(scenario::Family::ipv6));
}

// The step names of a scenario, for a compact look at its shape.
std::vector<std::string> shape(const scenario::Scenario& s) {
  std::vector<std::string> names;
  for (const scenario::Step& st : s.steps) names.emplace_back(scenario::step_name(st.kind));
  return names;
}

TEST(FindingScenario, PersistentLineExpectsModelRepliesThenProbes) {
  const scenario::Scenario s = finding_scenario(
      finding(Mode::persistent, "line", {"WHOAMI\n", "TIME\n", "QUIT\nPING\n", "PING\n"}));
  EXPECT_THAT(shape(s), ElementsAre("connect", "send", "expect", "send", "expect", "send", "expect",
                                    "expect-eof", "close", "connect", "send", "expect", "close",
                                    "connect", "send", "expect", "close", "expect-alive"));
  const auto& whoami = std::get<step::Expect>(s.steps[2].kind);
  EXPECT_EQ(std::get<scenario::DataSpec>(whoami.match).bytes, "+{peer}\r\n");
  const auto& time = std::get<step::Expect>(s.steps[4].kind);
  const std::string& re = std::get<scenario::Regex>(time.match).regex;
  EXPECT_TRUE(std::regex_match("+2026-11-23T18:55:05Z\r\n", std::regex(re))) << re;
  EXPECT_FALSE(std::regex_match("+2026-11-23 18:55:05Z\r\n", std::regex(re))) << re;
  const auto& bye = std::get<step::Expect>(s.steps[6].kind);
  EXPECT_EQ(std::get<scenario::DataSpec>(bye.match).bytes, "+BYE\r\n");
  const auto& probe = std::get<step::Connect>(s.steps[13].kind);
  EXPECT_EQ(probe.as, "probe");
}

TEST(FindingScenario, PerConnectionHalfClosesEachMessage) {
  const scenario::Scenario s = finding_scenario(finding(Mode::per_connection, "echo", {"a", "b"}));
  EXPECT_THAT(shape(s), ElementsAre("connect", "send", "shutdown", "expect", "expect-eof", "close",
                                    "connect", "send", "shutdown", "expect", "expect-eof", "close",
                                    "connect", "send", "expect", "close", "expect-alive"));
}

TEST(FindingScenario, DatagramDiscardExpectsNoDatagram) {
  const scenario::Scenario s = finding_scenario(finding(Mode::datagram, "discard", {"a", "b"}));
  EXPECT_THAT(shape(s),
              ElementsAre("bind", "send-to", "expect-no-datagram", "send-to", "expect-no-datagram",
                          "send-to", "expect-no-datagram", "expect-alive"));
}

TEST(FindingScenario, BinaryIsHexAndBracesAreLiteral) {
  const scenario::Scenario s =
      finding_scenario(finding(Mode::datagram, "echo", {std::string("\0\xff", 2), "{client}"}));
  const auto& bin = std::get<step::SendTo>(s.steps[1].kind);
  EXPECT_EQ(bin.data.kind, scenario::DataKind::hex);
  EXPECT_EQ(bin.data.bytes, std::string("\0\xff", 2));
  const auto& text = std::get<step::SendTo>(s.steps[3].kind);
  EXPECT_EQ(text.data.kind, scenario::DataKind::text);
  const net::Result<std::string> rendered = scenario::materialise(text.data, {{"client", "7"}});
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(*rendered, "{client}");
}

TEST(FindingScenario, ServicesWithoutAModelOnlySendAndProbe) {
  const scenario::Scenario s = finding_scenario(finding(Mode::persistent, "chargen", {"a"}));
  EXPECT_THAT(shape(s), ElementsAre("connect", "send", "close", "connect", "expect", "close",
                                    "expect-alive"));
  EXPECT_THAT(shape(s), Not(Contains("expect-eof")));
}

// A protocol-mode finding: an MQTT-like greeting (a banner regex, a binary hello and its reply).
Finding protocol_finding(Mode mode, Messages messages) {
  Finding f = finding(mode, "mqtt-broker", std::move(messages), FindingKind::unresponsive);
  ProtocolSteps p;
  if (mode != Mode::datagram) {
    p.banner = scenario::Regex{"READY [0-9]+\\r\\n"};
    scenario::DataSpec hello;
    hello.kind = scenario::DataKind::hex;
    hello.bytes = std::string("\x10\x0c\x00\x04MQTT", 8);
    p.hello = hello;
    scenario::DataSpec reply;
    reply.kind = scenario::DataKind::hex;
    reply.bytes = std::string("\x20\x02\x00\x00", 4);
    p.hello_reply = reply;
  }
  f.protocol = p;
  return f;
}

TEST(FindingScenario, ProtocolPersistentGreetsSendsThenProbesWithTheExchange) {
  const scenario::Scenario s =
      finding_scenario(protocol_finding(Mode::persistent, {"a", std::string("\xc0\x00", 2)}));
  EXPECT_THAT(shape(s), ElementsAre("connect", "expect", "send", "expect", "send", "close",
                                    "connect", "exchange", "close", "expect-alive"));
  EXPECT_EQ(std::get<step::Send>(s.steps[4].kind).data.bytes, std::string("a\xc0\x00", 3));
  EXPECT_THAT(s.requirements, ElementsAre("ACC-2"));
  EXPECT_THAT(s.needs, ElementsAre("tcp", "exchange"));
  EXPECT_THAT(s.id, MatchesRegex("fuzz/mqtt-broker-unresponsive-[0-9a-f]{8}"));
  EXPECT_THAT(s.summary, HasSubstr("stop answering its protocol"));
  const auto& probe = std::get<step::Exchange>(s.steps[7].kind);
  EXPECT_EQ(probe.on, "probe");
  EXPECT_EQ(probe.use, scenario::ExchangeUse::default_);
}

TEST(FindingScenario, ProtocolPerConnectionGreetsEachConnectionAndDatagramProbesOnItsSocket) {
  const scenario::Scenario s = finding_scenario(protocol_finding(Mode::per_connection, {"a", "b"}));
  EXPECT_THAT(shape(s),
              ElementsAre("connect", "expect", "send", "expect", "send", "shutdown", "close",
                          "connect", "expect", "send", "expect", "send", "shutdown", "close",
                          "connect", "exchange", "close", "expect-alive"));
  const scenario::Scenario u = finding_scenario(protocol_finding(Mode::datagram, {"a", "b"}));
  EXPECT_THAT(shape(u), ElementsAre("bind", "send-to", "send-to", "exchange", "expect-alive"));
  EXPECT_THAT(u.requirements, ElementsAre("DGR-1"));
  EXPECT_THAT(u.needs, ElementsAre("udp", "exchange"));
}

TEST(FindingYaml, ProtocolFindingsLoadBackEqual) {
  for (const Mode mode : {Mode::persistent, Mode::per_connection, Mode::datagram}) {
    for (const Messages& messages : message_sets()) {
      const Finding f = protocol_finding(mode, messages);
      const std::string yaml = finding_yaml(f);
      EXPECT_THAT(yaml, StartsWith("# Fuzz finding: the mqtt-broker server over"));
      const net::Result<scenario::Scenario> loaded =
          scenario::load_scenario_text(yaml, "finding.yaml");
      ASSERT_TRUE(loaded.ok()) << loaded.error().message << "\n" << yaml.substr(0, 3000);
      EXPECT_EQ(*loaded, finding_scenario(f));
    }
  }
}

}  // namespace
}  // namespace sockspec::blackbox
