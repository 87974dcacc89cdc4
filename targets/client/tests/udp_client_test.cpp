// sockspec-client over UDP against in-test peers on 127.0.0.1 and ::1 (CLI-1, CLI-3..CLI-6).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>

#include "targets/client/tests/client_test_support.hpp"

namespace sockspec::client::testing {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
using ::testing::HasSubstr;

class UdpClient : public ::testing::TestWithParam<std::string> {
 protected:
  std::vector<std::string> client_args(std::vector<std::string> more) const {
    std::vector<std::string> args = {"--transport", "udp", "--connect", server_};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  const std::string host_ = GetParam();
  net::Socket socket_ = udp_bound(host_);
  const net::Endpoint endpoint_ = local(socket_);
  const std::string server_ = endpoint_.to_string();
};

INSTANTIATE_TEST_SUITE_P(Families, UdpClient, ::testing::Values("127.0.0.1", "::1"),
                         [](const auto& family) {
                           return family.param == "::1" ? "ipv6" : "ipv4";
                         });

// Answers every datagram with `prefix` + its payload until stopped; records the senders.
void echo_datagrams(const net::Socket& socket, int stop, const std::string& prefix,
                    std::vector<Datagram>* seen) {
  while (auto d = receive_from(socket, stop)) {
    if (seen != nullptr) seen->push_back(*d);
    if (!send_to(socket, prefix + d->payload, d->from)) return;
  }
}

TEST_P(UdpClient, PrintsTheEchoedDatagramByteForByte) {  // CLI-1
  PeerThread peer([this](int stop) { echo_datagrams(socket_, stop, "", nullptr); });
  const std::string message = all_byte_values(4);
  const RunResult r = run_client(client_args({}), {.stdin_data = message});
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_TRUE(r.out == message) << "stdout differs: " << r.out.size() << " bytes";
  EXPECT_EQ(r.err, "");
}

TEST_P(UdpClient, AnEmptyMessageIsAnEmptyDatagram) {
  std::vector<Datagram> seen;
  PeerThread peer([&, this](int stop) { echo_datagrams(socket_, stop, "+", &seen); });
  const RunResult r = run_client(client_args({"--message", ""}));
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, "+");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].payload, "");
}

TEST_P(UdpClient, IgnoresADatagramFromAnotherPortThatArrivesFirst) {  // CLI-5
  net::Socket decoy = udp_bound(host_);
  const std::string decoy_at = local(decoy).to_string();
  PeerThread peer([&, this](int stop) {
    auto request = receive_from(socket_, stop);
    if (!request) return;
    // The client's port is learnt from its request; the decoy goes first.
    if (send_to(decoy, "decoy", request->from)) (void)send_to(socket_, "real", request->from);
  });
  const RunResult r = run_client(client_args({"--message", "hi"}));
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, "real");
  EXPECT_THAT(r.err, HasSubstr("sockspec-client: ignored datagram from " + decoy_at));
}

TEST_P(UdpClient, ResendsAfterSilenceAndTakesTheAnswerToTheRetry) {  // CLI-5
  std::atomic<int> requests{0};
  PeerThread peer([&, this](int stop) {
    while (auto d = receive_from(socket_, stop)) {
      if (++requests == 2 && !send_to(socket_, "second", d->from)) return;  // drops the first
    }
  });
  const RunResult r = run_client(client_args({"--message", "hi", "--timeout", "1.5s"}));
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, "second");
  EXPECT_EQ(requests, 2);
  EXPECT_GE(r.elapsed, milliseconds(500));  // the first attempt's share: 1.5s / 3
}

TEST_P(UdpClient, GivesUpAfterOnePlusRetriesAttemptsAndExits4InTime) {  // CLI-4, CLI-5
  for (const int retries : {0, 2}) {
    SCOPED_TRACE(retries);
    std::vector<Datagram> seen;
    // The margin counts from the first request, not from fork: the client's deadline starts
    // after its own start-up, which a loaded machine stretches.
    std::optional<SteadyClock::time_point> first;
    PeerThread peer([&, this](int stop) {
      while (auto d = receive_from(socket_, stop)) {  // never answers
        if (!first) first = SteadyClock::now();
        seen.push_back(*d);
      }
    });
    const RunResult r = run_client(client_args(
        {"--message", "hi", "--timeout", "1.2s", "--retries", std::to_string(retries)}));
    peer.stop_and_join();
    EXPECT_EQ(r.status.code, kExitTimeout) << describe(r);
    expect_one_reason_line(r, "no reply from " + server_);
    EXPECT_GE(r.elapsed, milliseconds(1200));
    ASSERT_TRUE(first) << "no request arrived";
    EXPECT_LT(r.ended - *first, milliseconds(1200) + kTimeoutMargin);
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(1 + retries));
    for (const auto& d : seen) EXPECT_EQ(d.from, seen.front().from) << "one socket throughout";
  }
}

TEST_P(UdpClient, PortUnreachableExits3) {
  const std::string closed = closed_port(host_, SOCK_DGRAM).to_string();
  const RunResult r =
      run_client({"--transport", "udp", "--connect", closed, "--message", "x", "--timeout", "3s"});
  EXPECT_EQ(r.status.code, kExitRefused) << describe(r);
  expect_one_reason_line(r, "Connection refused (ECONNREFUSED): ICMP port unreachable");
  EXPECT_LT(r.elapsed, milliseconds(1000));  // the first attempt, not the timeout, ends it
}

TEST_P(UdpClient, LinesModeSendsADatagramPerLineAndPrintsEachReplyInOrder) {
  std::vector<Datagram> seen;
  PeerThread peer([&, this](int stop) { echo_datagrams(socket_, stop, "+", &seen); });
  const RunResult r = run_client(client_args({"--lines", "--message", "A\nB\r\nC"}));
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, "+A\n+B\r\n+C");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].payload, "A\n");
  EXPECT_EQ(seen[1].payload, "B\r\n");
  EXPECT_EQ(seen[2].payload, "C");
}

TEST_P(UdpClient, TwentyClientsAtOnceGetDistinctEphemeralPortsAndTheirOwnReplies) {  // CLI-6
  std::vector<Datagram> seen;
  PeerThread peer([&, this](int stop) {
    // All 20 requests are in before any is answered, so all 20 clients are alive at once: a
    // port freed by a finished client and reused is not a collision.
    while (seen.size() < 20) {
      auto d = receive_from(socket_, stop);
      if (!d) return;
      seen.push_back(*d);
    }
    for (const auto& d : seen) (void)send_to(socket_, d.payload, d.from);
  });
  std::vector<ChildProcess> children;
  for (int i = 0; i < 20; ++i) {
    children.push_back(must(ChildProcess::start(
        {program_path("sockspec-client"), "--transport", "udp", "--connect", server_, "--timeout",
         "30s", "--retries", "0", "--message", "client " + std::to_string(i)},
        {})));
  }
  for (std::size_t i = 0; i < children.size(); ++i) {
    SCOPED_TRACE(i);
    const RunResult r = children[i].run(std::chrono::seconds(40));
    EXPECT_EQ(r.status.code, kExitOk) << describe(r);
    EXPECT_EQ(r.out, "client " + std::to_string(i));
  }
  peer.stop_and_join();
  std::vector<std::uint16_t> ports;
  for (const auto& d : seen) ports.push_back(d.from.port());
  std::sort(ports.begin(), ports.end());
  EXPECT_EQ(ports.size(), 20u);
  EXPECT_EQ(std::adjacent_find(ports.begin(), ports.end()), ports.end()) << "a port repeats";
  EXPECT_EQ(std::count(ports.begin(), ports.end(), 0), 0);
}

TEST(UdpClientIpv4, IgnoresADatagramFromAnotherAddressWithTheServersPort) {  // CLI-5
  net::Socket server = udp_bound("127.0.0.1");
  const net::Endpoint at = local(server);
  // Same port, other address: only an address-and-port check tells it from the server.
  net::Socket decoy = udp_bound("127.0.0.2", at.port());
  PeerThread peer([&](int stop) {
    auto request = receive_from(server, stop);
    if (request && send_to(decoy, "decoy", request->from))
      (void)send_to(server, "real", request->from);
  });
  const RunResult r =
      run_client({"--transport", "udp", "--connect", at.to_string(), "--message", "hi"});
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, "real");
  EXPECT_THAT(r.err, HasSubstr("ignored datagram from 127.0.0.2:" + std::to_string(at.port())));
}

}  // namespace
}  // namespace sockspec::client::testing
