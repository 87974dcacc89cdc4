// sockspec-client over TCP against in-test peers on 127.0.0.1 and ::1 (CLI-1..CLI-4, --lines).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "targets/client/tests/client_test_support.hpp"
#include "targets/net/io.hpp"

namespace sockspec::client::testing {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// A peer that reads the whole request, then echoes it and closes.
void echo_after_eof(net::Acceptor& acceptor, int stop_fd) {
  auto s = accept_one(acceptor, stop_fd);
  if (!s) return;
  if (auto request = read_to_eof(*s, stop_fd)) (void)send_bytes(*s, *request, stop_fd);
}

class TcpClient : public ::testing::TestWithParam<std::string> {
 protected:
  const std::string host_ = GetParam();
  net::Acceptor acceptor_ = tcp_acceptor(host_);
  const std::string server_ = local(acceptor_.socket()).to_string();
};

INSTANTIATE_TEST_SUITE_P(Families, TcpClient, ::testing::Values("127.0.0.1", "::1"),
                         [](const auto& family) {
                           return family.param == "::1" ? "ipv6" : "ipv4";
                         });

TEST_P(TcpClient, PrintsTheEchoOfAllByteValuesByteForByte) {  // CLI-1
  PeerThread peer([this](int stop) { echo_after_eof(acceptor_, stop); });
  const std::string message = all_byte_values(64);  // NUL, CR, LF, invalid UTF-8 ...
  const RunResult r = run_client({"--connect", server_}, {.stdin_data = message});
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_TRUE(r.out == message) << "stdout differs: " << r.out.size() << " bytes";
  EXPECT_EQ(r.err, "");
}

TEST_P(TcpClient, SendsTheMessageFlagExactlyAndHalfCloses) {
  std::string seen;
  PeerThread peer([&](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (!s) return;
    // Reaching EOF here proves the client half-closed; it still reads our reply after that.
    if (auto request = read_to_eof(*s, stop)) {
      seen = *request;
      (void)send_bytes(*s, "got it", stop);
    }
  });
  const RunResult r = run_client({"--connect", server_, "--message", "hello\r\n"});
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(seen, "hello\r\n");
  EXPECT_EQ(r.out, "got it");
}

TEST_P(TcpClient, ReadsWhileSendingSoALargeEchoDoesNotDeadlock) {
  // The peer echoes as it reads, so a client that sends everything before reading fills
  // both directions' buffers and stalls.
  PeerThread peer([this](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (!s) return;
    std::byte buffer[65536];
    for (;;) {
      if (net::wait_for(s->fd(), POLLIN, stop, kPeerStepLimit).outcome !=
          net::WaitOutcome::kReady) {
        return;
      }
      const net::IoResult got = net::recv_some(s->fd(), buffer);
      if (got.outcome != net::IoOutcome::kData) return;  // EOF: done, close
      if (!send_bytes(*s, {reinterpret_cast<const char*>(buffer), got.bytes}, stop)) return;
    }
  });
  const std::string message = all_byte_values(128 * 1024);  // 32 MiB
  const RunResult r = run_client({"--connect", server_, "--timeout", "20s"},
                                 {.stdin_data = message}, std::chrono::seconds(40));
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out.size(), message.size());
  EXPECT_TRUE(r.out == message);
}

TEST_P(TcpClient, PrintsAReplyThatArrivesLateInManyPieces) {  // CLI-2
  std::string expected;
  for (int i = 0; i < 40; ++i) expected += "piece " + std::to_string(i) + "\n";
  PeerThread peer([&, this](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (!s || !read_to_eof(*s, stop)) return;
    for (std::size_t at = 0; at < expected.size(); at += 13) {
      std::this_thread::sleep_for(milliseconds(5));  // pieces, not waiting for readiness
      if (!send_bytes(*s, std::string_view(expected).substr(at, 13), stop)) return;
    }
  });
  const RunResult r = run_client({"--connect", server_, "--message", "go"});
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, expected);
}

TEST_P(TcpClient, ConnectionRefusedExits3) {
  const std::string closed = closed_port(host_, SOCK_STREAM).to_string();
  const RunResult r = run_client({"--connect", closed, "--message", "x"});
  EXPECT_EQ(r.status.code, kExitRefused) << describe(r);
  expect_one_reason_line(r, "Connection refused (ECONNREFUSED)");
  EXPECT_EQ(r.out, "");
}

TEST_P(TcpClient, AServerThatNeverAnswersTimesOutWithin500msOfTheTimeout) {  // CLI-4
  // The listener never accepts: the handshake completes in the backlog and nothing comes. The
  // margin counts from when the peer sees the connection, not from fork: the client's deadline
  // starts after its own start-up, which a loaded machine (sanitizers, parallel tests) stretches.
  std::optional<SteadyClock::time_point> connected;
  PeerThread peer([&, this](int stop) {
    if (net::wait_for(acceptor_.socket().fd(), POLLIN, stop, kPeerStepLimit).outcome ==
        net::WaitOutcome::kReady) {
      connected = SteadyClock::now();
    }
  });
  const RunResult r = run_client({"--connect", server_, "--message", "x", "--timeout", "1s"});
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitTimeout) << describe(r);
  expect_one_reason_line(r, "timed out after 1s");
  EXPECT_GE(r.elapsed, milliseconds(1000));
  ASSERT_TRUE(connected) << "the client never connected";
  EXPECT_LT(r.ended - *connected, milliseconds(1000) + kTimeoutMargin);
}

TEST_P(TcpClient, AServerThatTricklesForeverTimesOutWithin500msOfTheTimeout) {  // CLI-4
  std::optional<SteadyClock::time_point> accepted;  // the margin counts from here, not from fork
  PeerThread peer([&, this](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (!s) return;
    accepted = SteadyClock::now();
    // A byte every 50 ms, never closing: a client that waits for quiet never times out.
    while (net::wait_for(stop, POLLIN, -1, milliseconds(50)).outcome ==
           net::WaitOutcome::kTimeout) {
      if (!send_bytes(*s, ".", stop)) return;
    }
  });
  const RunResult r = run_client({"--connect", server_, "--message", "x", "--timeout", "1s"});
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitTimeout) << describe(r);
  expect_one_reason_line(r, "timed out after 1s");
  ASSERT_TRUE(accepted) << "the client never connected";
  EXPECT_LT(r.ended - *accepted, milliseconds(1000) + kTimeoutMargin);
  EXPECT_THAT(r.out, ::testing::StartsWith("."));  // what came before the timeout is printed
}

TEST_P(TcpClient, AResetWhileSendingExits5) {
  PeerThread peer([this](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (!s) return;
    // Take a little of the message first, so that the client is surely mid-send.
    std::byte some[65536];
    if (net::wait_for(s->fd(), POLLIN, stop, kPeerStepLimit).outcome == net::WaitOutcome::kReady) {
      (void)net::recv_some(s->fd(), some);
    }
    must(s->set_linger_zero());  // close() sends RST
  });
  const std::string message(32 << 20, 'x');  // far more than the socket buffers hold
  const RunResult r = run_client({"--connect", server_}, {.stdin_data = message});
  EXPECT_EQ(r.status.code, kExitPeerClosed) << describe(r);
  expect_one_reason_line(r, "(ECONNRESET)");
}

// A `line`-service stand-in: reads `count` request lines, answers with `replies` in 3-byte
// pieces, then keeps the connection open until the client closes it.
void answer_lines(net::Acceptor& acceptor, int stop, std::size_t count, std::string replies,
                  std::string* requests) {
  auto s = accept_one(acceptor, stop);
  if (!s) return;
  auto got = read_lines(*s, count, stop);
  if (!got) return;
  *requests = *got;
  for (std::size_t at = 0; at < replies.size(); at += 3) {
    if (!send_bytes(*s, std::string_view(replies).substr(at, 3), stop)) return;
  }
  (void)read_to_eof(*s, stop);
}

TEST_P(TcpClient, LinesModePrintsExactlyOneReplyLinePerRequestWithoutWaitingForEof) {
  std::string requests;
  PeerThread peer([&, this](int stop) {
    answer_lines(acceptor_, stop, 2, "+PONG\r\n+3\r\n+EXTRA\r\n", &requests);
  });
  const RunResult r = run_client({"--connect", server_, "--lines", "--message", "PING\nLEN abc\n"});
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(r.out, "+PONG\r\n+3\r\n");
  EXPECT_EQ(requests, "PING\nLEN abc\n");
}

TEST_P(TcpClient, LinesModeEndsAnUnterminatedLastLine) {
  std::string requests;
  PeerThread peer(
      [&, this](int stop) { answer_lines(acceptor_, stop, 2, "+a\r\n+b\r\n", &requests); });
  const RunResult r =
      run_client({"--connect", server_, "--lines"}, {.stdin_data = "ECHO a\r\nECHO b"});
  peer.stop_and_join();
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_EQ(requests, "ECHO a\r\nECHO b\n");
  EXPECT_EQ(r.out, "+a\r\n+b\r\n");
}

TEST_P(TcpClient, LinesModePeerClosingBeforeReplyingExits5) {
  PeerThread peer([this](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (s) (void)read_lines(*s, 1, stop);  // then close without a reply
  });
  const RunResult r = run_client({"--connect", server_, "--lines", "--message", "PING\n"});
  EXPECT_EQ(r.status.code, kExitPeerClosed) << describe(r);
  expect_one_reason_line(r, "closed the connection after 0 of 1 reply lines");
  EXPECT_EQ(r.out, "");
}

TEST_P(TcpClient, LinesModePeerClosingAfterSomeRepliesExits5AndPrintsThem) {
  PeerThread peer([this](int stop) {
    auto s = accept_one(acceptor_, stop);
    if (s && read_lines(*s, 2, stop)) (void)send_bytes(*s, "+BYE\r\n", stop);  // QUIT-like
  });
  const RunResult r = run_client({"--connect", server_, "--lines", "--message", "QUIT\nPING\n"});
  EXPECT_EQ(r.status.code, kExitPeerClosed) << describe(r);
  expect_one_reason_line(r, "after 1 of 2 reply lines");
  EXPECT_EQ(r.out, "+BYE\r\n");
}

TEST_P(TcpClient, TwentyClientsAtOnceGetDistinctPortsAndTheirOwnReplies) {  // CLI-6
  std::vector<std::uint16_t> ports;
  PeerThread peer([&, this](int stop) {
    // All 20 connections are held before any is answered, so all 20 clients are alive at
    // once: a port freed by a finished client and reused is not a collision.
    std::vector<net::Socket> held;
    while (held.size() < 20) {
      auto s = accept_one(acceptor_, stop);
      if (!s) return;
      ports.push_back(must(s->peer_endpoint()).port());
      held.push_back(std::move(*s));
    }
    for (const auto& s : held) {
      if (auto request = read_to_eof(s, stop)) (void)send_bytes(s, *request, stop);
    }
  });
  std::vector<ChildProcess> children;
  for (int i = 0; i < 20; ++i) {
    children.push_back(
        must(ChildProcess::start({program_path("sockspec-client"), "--connect", server_,
                                  "--timeout", "30s", "--message", "client " + std::to_string(i)},
                                 {})));
  }
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE(i);
    const RunResult r = children[static_cast<std::size_t>(i)].run(std::chrono::seconds(40));
    EXPECT_EQ(r.status.code, kExitOk) << describe(r);
    EXPECT_EQ(r.out, "client " + std::to_string(i));
  }
  peer.stop_and_join();
  std::sort(ports.begin(), ports.end());
  EXPECT_EQ(ports.size(), 20u);
  EXPECT_EQ(std::adjacent_find(ports.begin(), ports.end()), ports.end()) << "a port repeats";
}

}  // namespace
}  // namespace sockspec::client::testing
