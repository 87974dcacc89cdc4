// Connection over a socketpair with scripted sessions; faults injected through the sys seam.
#include "targets/server/connection.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "targets/net/sys.hpp"

namespace sockspec::server {
namespace {

// A session whose reactions are set by the test.
class ScriptedSession final : public proto::StreamSession {
 public:
  std::string greeting;
  bool close_after_greeting = false;
  bool echo = true;            // on_data: send the input back
  std::size_t amplify = 1;     // ...this many times
  bool close_on_data = false;  // on_data: close after replying
  bool generate = false;       // wants_more(): produce() forever
  int eofs = 0;

  void on_open(proto::Output& out) override {
    out.bytes = greeting;
    out.close_after = close_after_greeting;
  }
  void on_data(std::span<const std::byte> in, proto::Output& out) override {
    for (std::size_t i = 0; echo && i < amplify; ++i) out.bytes += proto::as_chars(in);
    out.close_after = close_on_data;
  }
  void on_eof(proto::Output& out) override {
    ++eofs;
    out.close_after = !generate;
  }
  [[nodiscard]] bool wants_more() const override { return generate; }
  void produce(std::size_t max, proto::Output& out) override { out.bytes.append(max, 'g'); }
};

// A connected pair: `server` is driven by a Connection, `peer` is the test's client end.
struct Pair {
  net::Socket peer;
  std::unique_ptr<Connection> connection;
  ScriptedSession* session = nullptr;
};

Pair make_pair(std::unique_ptr<ScriptedSession> session = std::make_unique<ScriptedSession>()) {
  int fds[2] = {-1, -1};
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
  Pair p;
  p.peer = net::Socket(net::Fd(fds[1]));
  p.session = session.get();
  p.connection = std::make_unique<Connection>(net::Socket(net::Fd(fds[0])), std::move(session));
  return p;
}

void peer_send(const net::Socket& peer, std::string_view data) {
  ASSERT_EQ(::send(peer.fd(), data.data(), data.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(data.size()));
}

// Reads what is waiting on the peer, without blocking. Sets `eof` when the server shut down.
std::string peer_read(const net::Socket& peer, bool* eof = nullptr) {
  std::string got;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::recv(peer.fd(), buffer, sizeof buffer, 0);
    if (n > 0) {
      got.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (eof) *eof = n == 0;
    return got;
  }
}

// Drives the connection the way serve_connection() does, until nothing more happens.
void pump(Connection& c) {
  for (int i = 0; i < 1000 && !c.finished(); ++i) {
    pollfd p{c.fd(), c.interest(), 0};
    if (::poll(&p, 1, 0) <= 0) return;
    c.on_events(p.revents);
  }
}

TEST(Connection, EchoesAndClosesOncePeerHalfClosed) {
  auto p = make_pair();
  p.connection->open();
  EXPECT_EQ(p.connection->interest(), POLLIN);
  peer_send(p.peer, "hello");
  pump(*p.connection);
  EXPECT_EQ(peer_read(p.peer), "hello");
  ASSERT_EQ(::shutdown(p.peer.fd(), SHUT_WR), 0);
  pump(*p.connection);
  EXPECT_TRUE(p.connection->finished());
  EXPECT_EQ(p.session->eofs, 1);
}

TEST(Connection, LastWordIsFollowedByFinAndALingerForThePeersClose) {
  auto session = std::make_unique<ScriptedSession>();
  session->close_on_data = true;
  auto p = make_pair(std::move(session));
  p.connection->open();
  peer_send(p.peer, "QUIT\n");
  pump(*p.connection);
  bool eof = false;
  EXPECT_EQ(peer_read(p.peer, &eof), "QUIT\n");
  EXPECT_TRUE(eof) << "the server shuts down its side after the last byte";
  ASSERT_TRUE(p.connection->lingering());
  EXPECT_EQ(p.connection->interest(), POLLIN);
  EXPECT_GT(p.connection->linger_deadline(), std::chrono::steady_clock::now());
  // What the peer still sends is read and dropped, never answered.
  peer_send(p.peer, "late\n");
  pump(*p.connection);
  EXPECT_EQ(peer_read(p.peer), "");
  EXPECT_TRUE(p.connection->lingering());
  ASSERT_EQ(::shutdown(p.peer.fd(), SHUT_WR), 0);
  pump(*p.connection);
  EXPECT_TRUE(p.connection->finished());
  EXPECT_EQ(p.session->eofs, 0) << "a lingering connection owes the session nothing";
}

TEST(Connection, LingerEndsOnTimeout) {
  auto session = std::make_unique<ScriptedSession>();
  session->greeting = "Mon Nov 23 2026\r\n";
  session->close_after_greeting = true;
  auto p = make_pair(std::move(session));
  p.connection->open();  // a daytime-like greeting ends the exchange at once
  EXPECT_TRUE(p.connection->lingering());
  EXPECT_EQ(peer_read(p.peer), "Mon Nov 23 2026\r\n");
  p.connection->on_timeout();
  EXPECT_TRUE(p.connection->finished());
}

TEST(Connection, StopsReadingWhileTooMuchOutputIsQueued) {  // STR-7
  auto session = std::make_unique<ScriptedSession>();
  session->amplify = 1000;
  auto p = make_pair(std::move(session));
  p.connection->open();
  peer_send(p.peer, std::string(1024, 'x'));  // 1 MiB of output; the peer reads nothing
  pump(*p.connection);
  EXPECT_FALSE(p.connection->finished());
  EXPECT_EQ(p.connection->interest(), POLLOUT) << "no POLLIN above the high-water mark";
  // Once the peer reads, output flows and reading resumes.
  std::size_t got = 0;
  for (int i = 0; i < 1000 && got < 1024u * 1000; ++i) {
    got += peer_read(p.peer).size();
    pump(*p.connection);
  }
  EXPECT_EQ(got, 1024u * 1000);
  EXPECT_EQ(p.connection->interest(), POLLIN);
}

TEST(Connection, SlowReaderOfAFastWriterCostsBoundedMemory) {  // STR-7
  auto p = make_pair();
  p.connection->open();
  const std::string chunk(64 * 1024, 'e');
  std::size_t peak = 0;
  std::size_t echoed = 0;
  for (int round = 0; round < 400; ++round) {
    // The peer writes whatever fits, and reads less than it writes.
    (void)::send(p.peer.fd(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
    pump(*p.connection);
    char buffer[40 * 1024];
    const ssize_t n = ::recv(p.peer.fd(), buffer, sizeof buffer, 0);
    if (n > 0) echoed += static_cast<std::size_t>(n);
    peak = std::max(peak, p.connection->buffered_bytes());
  }
  EXPECT_GT(echoed, 8u << 20) << "the exchange made progress";
  EXPECT_LT(peak, 1u << 20) << "bytes already sent must not pile up in the output buffer";
}

TEST(Connection, GeneratorStopsWhenThePeerCloses) {  // STR-5
  auto session = std::make_unique<ScriptedSession>();
  session->generate = true;
  auto p = make_pair(std::move(session));
  p.connection->open();
  EXPECT_NE(p.connection->interest() & POLLOUT, 0);
  pump(*p.connection);
  EXPECT_FALSE(p.connection->finished()) << "a full buffer waits for room";
  EXPECT_EQ(peer_read(p.peer).substr(0, 4), "gggg");
  // A half-close does not stop a generator (the peer may still read)...
  ASSERT_EQ(::shutdown(p.peer.fd(), SHUT_WR), 0);
  pump(*p.connection);
  EXPECT_FALSE(p.connection->finished());
  EXPECT_EQ(p.session->eofs, 1);
  // ...but a closed peer does: EPIPE, never SIGPIPE.
  p.peer = net::Socket();
  pump(*p.connection);
  EXPECT_TRUE(p.connection->finished());
}

TEST(Connection, HangUpAfterThePeersEofEndsItWithoutASecondEof) {
  auto session = std::make_unique<ScriptedSession>();
  session->generate = true;
  auto p = make_pair(std::move(session));
  p.connection->open();
  ASSERT_EQ(::shutdown(p.peer.fd(), SHUT_WR), 0);
  p.connection->on_events(POLLIN);
  ASSERT_EQ(p.session->eofs, 1);
  // A TCP reset after the FIN is reported as POLLHUP (both directions shut) for ever after:
  // on_eof() is owed once, and the connection must end, or a level-triggered wait spins.
  p.connection->on_events(POLLHUP);
  EXPECT_EQ(p.session->eofs, 1);
  EXPECT_TRUE(p.connection->finished());
}

TEST(Connection, FinishesShortWritesInOrder) {  // STR-4
  net::sys::Ops ops = net::sys::real_ops();
  const auto real_send = ops.send;
  int calls = 0;
  ops.send = [&](int fd, const void* buf, size_t len, int flags) -> ssize_t {
    ++calls;
    if (calls % 3 == 0) {  // every third call: EINTR or EAGAIN
      errno = calls % 2 == 0 ? EINTR : EAGAIN;
      return -1;
    }
    return real_send(fd, buf, std::min<size_t>(len, 7), flags);
  };
  net::sys::ScopedOps scoped(ops);
  auto p = make_pair();
  p.connection->open();
  const std::string payload = "0123456789abcdefghijklmnopqrstuvwxyz";
  peer_send(p.peer, payload);
  std::string got;
  for (int i = 0; i < 100 && got.size() < payload.size(); ++i) {
    pump(*p.connection);
    got += peer_read(p.peer);
  }
  EXPECT_EQ(got, payload);
  EXPECT_FALSE(p.connection->finished());
}

TEST(Connection, ResetOrErrorOnReceiveFinishes) {  // STR-5, ACC-3
  for (const int error : {ECONNRESET, ETIMEDOUT, ENOMEM}) {
    SCOPED_TRACE(error);
    net::sys::Ops ops = net::sys::real_ops();
    ops.recv = [error](int, void*, size_t, int) -> ssize_t {
      errno = error;
      return -1;
    };
    net::sys::ScopedOps scoped(ops);
    auto p = make_pair();
    p.connection->open();
    peer_send(p.peer, "x");
    pump(*p.connection);
    EXPECT_TRUE(p.connection->finished());
  }
}

TEST(Connection, ResetOnSendFinishes) {  // STR-5
  net::sys::Ops ops = net::sys::real_ops();
  ops.send = [](int, const void*, size_t, int) -> ssize_t {
    errno = ECONNRESET;
    return -1;
  };
  net::sys::ScopedOps scoped(ops);
  auto p = make_pair();
  p.connection->open();
  peer_send(p.peer, "x");
  pump(*p.connection);
  EXPECT_TRUE(p.connection->finished());
}

}  // namespace
}  // namespace sockspec::server
