// Tests of the TCP exchange in-process, with the sys seam injecting short writes, spurious
// wakeups and errors that a loopback peer would rarely produce.
#include "targets/client/tcp_exchange.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>

#include <cerrno>
#include <thread>

#include "targets/net/acceptor.hpp"
#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::client {
namespace {

using ::testing::HasSubstr;

net::Socket listener() {
  auto where = net::Endpoint::parse("127.0.0.1:0");
  auto s = net::Socket::tcp(AF_INET);
  EXPECT_TRUE(s.ok() && s->bind(*where).ok() && s->listen(16).ok());
  return std::move(*s);
}

ClientOptions options_for(const net::Socket& listening) {
  ClientOptions o;
  o.server = *listening.local_endpoint();
  return o;
}

Clock::time_point soon() {
  return Clock::now() + std::chrono::seconds(10);
}

// Accepts one connection, reads to EOF, sends it all back, closes. Tolerates the EAGAIN and
// short writes the test injects on every socket, its own included.
void echo_once(net::Acceptor& acceptor) {
  if (net::wait_for(acceptor.fd(), POLLIN, -1, std::chrono::seconds(10)).outcome !=
      net::WaitOutcome::kReady) {
    return;
  }
  auto accepted = acceptor.accept(false);
  if (!accepted || !*accepted) return;
  const net::Socket& s = (*accepted)->socket;
  std::string data;
  std::byte buffer[4096];
  for (;;) {
    const net::IoResult r = net::recv_some(s.fd(), buffer);
    if (r.outcome == net::IoOutcome::kData) data.append(reinterpret_cast<char*>(buffer), r.bytes);
    if (r.outcome == net::IoOutcome::kEof) break;
    if (r.outcome == net::IoOutcome::kReset || r.outcome == net::IoOutcome::kError) return;
  }
  (void)net::send_all(s.fd(), std::as_bytes(std::span(data)), -1, std::chrono::seconds(10));
}

TEST(TcpExchange, FinishesShortWritesAndSurvivesSpuriousWakeups) {
  std::atomic<int> calls{0};
  net::sys::Ops ops = net::sys::real_ops();
  const auto real = net::sys::real_ops();
  ops.send = [&](int fd, const void* buf, size_t len, int flags) -> ssize_t {
    return real.send(fd, buf, std::min<size_t>(len, 1000), flags);  // always short
  };
  ops.recv = [&](int fd, void* buf, size_t len, int flags) -> ssize_t {
    if (++calls % 4 == 0) {  // "readable" but nothing there after all
      errno = EAGAIN;
      return -1;
    }
    return real.recv(fd, buf, len, flags);
  };
  const net::sys::ScopedOps scoped(ops);  // before the peer thread starts: no race

  net::Acceptor acceptor(listener());
  const ClientOptions options = options_for(acceptor.socket());
  std::jthread peer([&acceptor] { echo_once(acceptor); });
  std::string message;
  for (int i = 0; i < 300'000; ++i) message += static_cast<char>(i * 7);
  std::string reply;
  const ExchangeResult r =
      tcp_exchange(options, message, soon(), [&](std::span<const std::byte> bytes) {
        reply.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return net::Status{};
      });
  peer.join();
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.reason;
  EXPECT_TRUE(reply == message) << "reply of " << reply.size() << " bytes differs";
}

TEST(TcpExchange, ConnectionRefusedIsRefused) {
  net::sys::Ops ops = net::sys::real_ops();
  ops.connect = [](int, const sockaddr*, socklen_t) {
    errno = ECONNREFUSED;
    return -1;
  };
  const net::sys::ScopedOps scoped(ops);
  const net::Socket s = listener();
  const ExchangeResult r =
      tcp_exchange(options_for(s), "x", soon(), [](auto) { return net::Status{}; });
  EXPECT_EQ(r.outcome, Outcome::kRefused);
  EXPECT_THAT(r.reason, HasSubstr("connect 127.0.0.1:"));
  EXPECT_THAT(r.reason, HasSubstr("(ECONNREFUSED)"));
}

TEST(TcpExchange, ResetWhileSendingIsPeerClosed) {
  net::sys::Ops ops = net::sys::real_ops();
  ops.send = [](int, const void*, size_t, int) -> ssize_t {
    errno = ECONNRESET;
    return -1;
  };
  const net::sys::ScopedOps scoped(ops);
  const net::Socket s = listener();  // the handshake completes in the backlog: no accept needed
  const ExchangeResult r =
      tcp_exchange(options_for(s), "hello", soon(), [](auto) { return net::Status{}; });
  EXPECT_EQ(r.outcome, Outcome::kPeerClosed);
  EXPECT_THAT(r.reason, HasSubstr("after 0 of 5 bytes"));
  EXPECT_THAT(r.reason, HasSubstr("(ECONNRESET)"));
}

TEST(TcpExchange, ASinkThatFailsEndsTheExchangeAsAnError) {
  net::Acceptor acceptor(listener());
  const ClientOptions options = options_for(acceptor.socket());
  std::jthread peer([&acceptor] { echo_once(acceptor); });
  const ExchangeResult r = tcp_exchange(options, "hello", soon(), [](auto) {
    return net::Status(net::Error{"write stdout: Broken pipe (EPIPE)", EPIPE});
  });
  peer.join();
  EXPECT_EQ(r.outcome, Outcome::kError);
  EXPECT_EQ(r.reason, "write stdout: Broken pipe (EPIPE)");
}

TEST(TcpExchange, NoReplyBeforeTheDeadlineIsATimeout) {
  const net::Socket s = listener();  // never accepts, never answers
  const ExchangeResult r =
      tcp_exchange(options_for(s), "hello", Clock::now() + std::chrono::milliseconds(100),
                   [](auto) { return net::Status{}; });
  EXPECT_EQ(r.outcome, Outcome::kTimeout);
  EXPECT_THAT(r.reason, HasSubstr("sent 5 of 5 bytes, received 0 bytes"));
}

}  // namespace
}  // namespace sockspec::client
