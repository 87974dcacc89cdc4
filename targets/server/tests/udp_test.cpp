// UDP: datagram boundaries and sizes, reply addressing, robustness (DGR-1..3, DGR-5..7, SVC).
#include <gmock/gmock.h>
#include <poll.h>

#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"
#include "targets/server/tests/server_fixture.hpp"

namespace sockspec::server::tests {
namespace {

class Udp : public ServerTest {
 protected:
  // Waits up to `timeout` for one datagram on `socket`.
  static std::optional<st::Datagram> receive(const net::Socket& socket, milliseconds timeout) {
    if (net::wait_for(socket.fd(), POLLIN, -1, timeout).outcome != net::WaitOutcome::kReady) {
      return std::nullopt;
    }
    auto d = net::receive_datagram(socket);
    if (!d || !*d) return std::nullopt;
    const auto& bytes = (*d)->payload;
    return st::Datagram{std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                        (*d)->peer};
  }
};

TEST_P(Udp, EchoKeepsEverySizeWholeAndRepliesFromTheServerAddress) {  // DGR-1, DGR-3, DGR-7
  ASSERT_TRUE(start(launch("echo", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  const std::size_t largest = ipv6() ? 65527 : 65507;
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{1472}, largest}) {
    SCOPED_TRACE(size);
    const std::string payload = pattern(size, static_cast<std::uint32_t>(size));
    const auto reply = st::udp_request(client, udp(), payload, 2s);
    ASSERT_TRUE(reply) << "no reply";
    EXPECT_TRUE(same_bytes(reply->payload, payload));
    EXPECT_EQ(reply->from, udp()) << "reply from " << reply->from.to_string();
  }
}

TEST_P(Udp, DatagramsAreNeverMergedOrSplit) {  // DGR-3, DGR-5
  ASSERT_TRUE(start(launch("echo", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  // A burst of 64 small datagrams, all sent before any reply is read.
  for (int i = 0; i < 64; ++i) {
    const std::string payload =
        pattern(static_cast<std::size_t>(100 + i), static_cast<std::uint32_t>(i));
    ASSERT_TRUE(net::send_datagram(client, std::as_bytes(std::span(payload)), udp()));
  }
  std::multiset<std::string> want, got;
  for (int i = 0; i < 64; ++i) {
    want.insert(pattern(static_cast<std::size_t>(100 + i), static_cast<std::uint32_t>(i)));
  }
  for (int i = 0; i < 64; ++i) {
    auto reply = receive(client, 2s);
    if (!reply) break;
    got.insert(reply->payload);
  }
  EXPECT_EQ(got.size(), 64u) << "replies missing";
  EXPECT_TRUE(got == want) << "a reply differs from every request";
}

TEST_P(Udp, WildcardServerAnswersFromTheAddressAsked) {  // DGR-2
  const auto second = second_local_address(ipv6());
  if (!second) {
    GTEST_SKIP() << "needs a second local IPv6 address beside ::1 (a network namespace of the "
                    "harness's own, docs/requirements.md)";
  }
  ASSERT_TRUE(start(launch("echo", "udp", {ipv6() ? "::" : "0.0.0.0"})));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  for (const std::string& host : {variant().host, *second}) {
    SCOPED_TRACE(host);
    auto asked = net::Endpoint::from_host(host, udp().port());
    ASSERT_TRUE(asked);
    const auto reply = st::udp_request(client, *asked, "who answers?", 2s);
    ASSERT_TRUE(reply) << "no reply";
    EXPECT_EQ(reply->payload, "who answers?");
    EXPECT_EQ(reply->from, *asked) << "reply from " << reply->from.to_string();
  }
}

TEST_P(Udp, FiftyClientsAtOnceEachGetTheirOwnAnswer) {  // DGR-4
  ASSERT_TRUE(start(launch("echo", "udp")));
  std::atomic<int> good{0};
  std::latch go(50);
  {
    std::vector<std::jthread> clients;
    for (int i = 0; i < 50; ++i) {
      clients.emplace_back([&, i] {
        auto client = st::open_udp_client(udp());
        go.arrive_and_wait();
        if (!client) return;
        const std::string payload = pattern(1000, static_cast<std::uint32_t>(i));
        // UDP may drop under load: a few tries, each reply checked against our own payload.
        for (int attempt = 0; attempt < 3; ++attempt) {
          const auto reply = st::udp_request(*client, udp(), payload, 1s);
          if (reply) {
            if (reply->payload == payload) ++good;
            return;
          }
        }
      });
    }
  }
  EXPECT_EQ(good.load(), 50);
}

TEST_P(Udp, KeepsServingAfterReplyingToAClosedPort) {  // DGR-6
  ASSERT_TRUE(start(launch("echo", "udp")));
  for (int i = 0; i < 5; ++i) {
    auto gone = udp_client();
    ASSERT_TRUE(gone.valid());
    const std::string payload = "to nobody";
    ASSERT_TRUE(net::send_datagram(gone, std::as_bytes(std::span(payload)), udp()));
    // Closed at once: the reply meets a closed port (ICMP port unreachable).
  }
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  for (int i = 0; i < 3; ++i) {
    const auto reply = st::udp_request(client, udp(), "still there?", 2s);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->payload, "still there?");
  }
}

TEST_P(Udp, LineServiceAnswersABadRequestAndGoesOn) {  // DGR-6, SVC-5
  ASSERT_TRUE(start(launch("line", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  const auto bad = st::udp_request(client, udp(), std::string("\xff\x00garbage", 9), 2s);
  ASSERT_TRUE(bad);
  EXPECT_THAT(bad->payload, ::testing::StartsWith("-ERR "));
  const auto two = st::udp_request(client, udp(), "PING\nPING\n", 2s);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->payload, "-ERR one request per datagram\r\n");
  const auto ping = st::udp_request(client, udp(), "PING", 2s);
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->payload, "+PONG\r\n");
}

TEST_P(Udp, LineWhoamiIsTheClientsOwnAddress) {  // DGR-1, SVC-5
  ASSERT_TRUE(start(launch("line", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  // Bound first, so that the client knows its own address exactly.
  auto here = net::Endpoint::from_host(variant().host, 0);
  ASSERT_TRUE(here);
  ASSERT_TRUE(client.bind(*here));
  auto me = client.local_endpoint();
  ASSERT_TRUE(me);
  const auto whoami = st::udp_request(client, udp(), "WHOAMI\n", 2s);
  ASSERT_TRUE(whoami);
  EXPECT_EQ(whoami->payload, "+" + me->to_string() + "\r\n");
}

TEST_P(Udp, DiscardNeverAnswers) {  // SVC-2
  ASSERT_TRUE(start(launch("discard", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  EXPECT_FALSE(st::udp_request(client, udp(), "anyone?", 300ms));
  EXPECT_FALSE(st::udp_request(client, udp(), "", 300ms));
}

TEST_P(Udp, DaytimeAnswersAnyDatagramWithALine) {  // SVC-3
  ASSERT_TRUE(start(launch("daytime", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  const auto reply = st::udp_request(client, udp(), "x", 2s);
  ASSERT_TRUE(reply);
  EXPECT_THAT(reply->payload, ::testing::EndsWith("\n"));
  EXPECT_THAT(reply->payload, ::testing::HasSubstr(current_year()));
}

TEST_P(Udp, ChargenAnswersAnyDatagramWithThePattern) {  // SVC-4, SVC-6
  ASSERT_TRUE(start(launch("chargen", "udp")));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  const auto reply = st::udp_request(client, udp(), "x", 2s);
  ASSERT_TRUE(reply);
  EXPECT_GT(reply->payload.size(), 0u);
  EXPECT_LE(reply->payload.size(), 512u);
  EXPECT_EQ(reply->payload, chargen_bytes(0, reply->payload.size()));
}

INSTANTIATE_TEST_SUITE_P(Server, Udp, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace sockspec::server::tests
