// Tests of a profile's `exchanges`: every part loads, shared files, golden errors, and which
// scenario needs a profile meets.
#include "harness/target/exchanges.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/target/profile.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using scenario::Transport;
using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kHead = "name: x\nargv: [x]\nexchanges:\n";

net::Result<Profile> load(const std::string& exchanges) {
  return load_profile_text(kHead + exchanges, "p.yaml");
}

TEST(Exchanges, EveryPartLoads) {
  net::Result<Profile> p = load(
      "  service: line\n"
      "  tcp:\n"
      "    banner: {regex: 'HELLO[^\\n]*\\n'}\n"
      "    hello: {request: {hex: '10 00'}, reply: {hex: '20 00'}, within: 3s}\n"
      "    requests:\n"
      "      ping: {request: {text: \"PING\\r\\n\"}, reply: {text: \"+PONG\\r\\n\"}}\n"
      "      token: {request: {text: \"ECHO {client}\\n\"}, reply: {regex: '\\+{client}\\r\\n'}}\n"
      "      big: {request: {text: \"B\\n\"}, reply: {length: 1KiB..2KiB}, repeat: 1024, "
      "within: 9s}\n"
      "      quit: {request: {hex: '51 0a'}, reply: {text: \"+BYE\\r\\n\"}}\n"
      "    per-client: token\n"
      "    large: big\n"
      "    closing: quit\n"
      "    partial: {text: PI}\n"
      "    after-half-close: true\n"
      "    pipelining: true\n"
      "    keep-alive: false\n"
      "  udp:\n"
      "    requests:\n"
      "      ping: {request: {text: PING}, reply: {text: \"+PONG\\r\\n\"}}\n");
  ASSERT_THAT(p, IsOk());
  const Exchanges& x = p->exchanges;
  EXPECT_EQ(x.service, "line");
  ASSERT_TRUE(x.tcp && x.udp);
  EXPECT_EQ(x.tcp->requests.size(), 4U);
  EXPECT_EQ(x.tcp->requests.front().name, "ping");  // the first is the default
  EXPECT_EQ(x.tcp->find("big")->repeat, 1024U);
  EXPECT_EQ(x.tcp->find("big")->within, std::chrono::seconds(9));
  EXPECT_EQ(std::get<scenario::Length>(x.tcp->find("big")->reply), (scenario::Length{1024, 2048}));
  EXPECT_EQ(x.tcp->find("quit")->request.bytes, "Q\n");
  EXPECT_EQ(x.tcp->per_client, "token");
  EXPECT_EQ(x.tcp->closing, "quit");
  EXPECT_EQ(x.tcp->partial->bytes, "PI");
  EXPECT_TRUE(x.tcp->banner.has_value());
  ASSERT_TRUE(x.tcp->hello.has_value());
  EXPECT_EQ(x.tcp->hello->request.bytes, std::string("\x10\x00", 2));
  EXPECT_EQ(x.tcp->hello->within, std::chrono::seconds(3));
  EXPECT_TRUE(x.tcp->after_half_close);
  EXPECT_TRUE(x.tcp->pipelining);
  EXPECT_FALSE(x.tcp->keep_alive);
  EXPECT_EQ(x.tcp->requests[1].where.line, 10);
}

TEST(Exchanges, NeedsAreMetOrSkippedWithTheMissingPart) {
  net::Result<Profile> p =
      load("  tcp:\n    requests:\n      ping: {request: {text: P}, reply: {text: Q}}\n");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(missing_exchange_part(p->exchanges, "exchange", Transport::tcp), std::nullopt);
  EXPECT_EQ(missing_exchange_part(p->exchanges, "exchange-keep-alive", Transport::tcp),
            std::nullopt);
  EXPECT_THAT(missing_exchange_part(p->exchanges, "exchange-large", Transport::tcp).value(),
              HasSubstr("no large exchange over tcp (exchanges.tcp.large)"));
  EXPECT_THAT(missing_exchange_part(p->exchanges, "exchange-pipelining", Transport::tcp).value(),
              HasSubstr("exchanges.tcp.pipelining: true"));
  EXPECT_THAT(missing_exchange_part(p->exchanges, "exchange", Transport::udp).value(),
              HasSubstr("no exchanges over udp"));
  EXPECT_THAT(missing_exchange_part(Exchanges{}, "exchange", Transport::tcp).value(),
              HasSubstr("no exchanges over tcp"));
}

struct BadCase {
  const char* exchanges;
  const char* error;
};

class ExchangeErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ExchangeErrors, SayWhereAndWhat) {
  EXPECT_THAT(load(GetParam().exchanges), HasError(HasSubstr(GetParam().error)));
}

INSTANTIATE_TEST_SUITE_P(
    Golden, ExchangeErrors,
    ::testing::Values(
        BadCase{"  {}\n", "p.yaml:4:3: 'exchanges': expected 'tcp', 'udp' or both"},
        BadCase{"  tcp: {requests: {}}\n", "p.yaml:4:19: 'requests': expected a map of named"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: P}}\n",
                "p.yaml:6:10: missing field 'reply' in exchange 'p'"},
        BadCase{
            "  tcp:\n    requests:\n      p: {request: {text: P}, reply: {same-as-sent: true}}\n",
            "p.yaml:6:39: unknown key 'same-as-sent' in reply"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: P}, reply: {text: Q}}\n"
                "    large: q\n",
                "p.yaml:7:12: 'large': no exchange named 'q' in 'requests'"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: P}, reply: {text: Q}}\n"
                "    large: p\n",
                "'large': exchange 'p' must have a reply of at least 1MiB"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: P}, reply: {text: Q}}\n"
                "    per-client: p\n",
                "'per-client': exchange 'p' must carry {client}"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: PING}, reply: {text: Q}}\n"
                "    partial: {text: PONG}\n",
                "p.yaml:7:14: 'partial': expected a strict prefix of the default request 'p'"},
        BadCase{"  udp:\n    requests:\n      p: {request: {text: P}, reply: {text: Q}}\n"
                "    pipelining: true\n",
                "p.yaml:7:17: 'pipelining' is for TCP"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: P}, reply: {regex: 'Q'}, "
                "repeat: 2}\n",
                "'repeat' needs a reply of exact bytes or a length"},
        BadCase{"  tcp:\n    requests:\n      p: {request: {text: P}, reply: {regex: '('}}\n",
                "bad regex '('"},
        BadCase{"  missing.exchanges.yaml\n",
                "p.yaml:4:3: 'exchanges': './missing.exchanges.yaml' is not a regular file"}));

TEST(Exchanges, CapabilitiesCannotDeclareExchangeNeeds) {
  EXPECT_THAT(load_profile_text("name: x\nargv: [x]\ncapabilities: [tcp, exchange]\n", "p.yaml"),
              HasError(HasSubstr("p.yaml:3:21: 'exchange' is not declared: it follows from")));
}

TEST(Exchanges, ASharedFileLoadsAndItsErrorsNameIt) {
  const std::string dir = ::testing::TempDir() + "exchanges_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/good.exchanges.yaml")
        << "tcp:\n  requests:\n    p: {request: {text: P}, reply: {text: Q}}\n";
    std::ofstream(dir + "/bad.exchanges.yaml") << "tcp:\n  requests: 3\n";
  }
  net::Result<Profile> good =
      load_profile_text(std::string(kHead) + "  good.exchanges.yaml\n", dir + "/p.yaml");
  ASSERT_THAT(good, IsOk());
  EXPECT_EQ(good->exchanges.tcp->requests.front().name, "p");
  EXPECT_THAT(load_profile_text(std::string(kHead) + "  bad.exchanges.yaml\n", dir + "/p.yaml"),
              HasError(AllOf(StartsWith(dir + "/p.yaml:4:3: in '"),
                             HasSubstr("bad.exchanges.yaml:2:13: 'requests': expected a map"))));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sockspec::target
