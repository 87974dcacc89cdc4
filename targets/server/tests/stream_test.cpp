// TCP stream semantics over echo and chargen: exact bytes, any segmentation, half-close, short
// writes, resets, bounded memory, idle connections (STR-1..5, STR-7, STR-8).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <thread>

#include "targets/net/io.hpp"
#include "targets/server/tests/server_fixture.hpp"

namespace sockspec::server::tests {
namespace {

class Stream : public ServerTest {};

// Writes `payload` from its own thread, then half-closes, while the test thread reads: a
// client that only reads after writing everything would deadlock against any echo server
// once both directions' buffers are full.
class Writer {
 public:
  Writer(net::Socket& socket, std::string payload)
      : thread_([&socket, payload = std::move(payload), this] {
          sent_ok_ = st::send_everything(socket, payload, 60s) && socket.shutdown_write().ok();
        }) {}
  // Joins; true if everything was sent and the write side shut down.
  bool finish() {
    thread_.join();
    return sent_ok_;
  }

 private:
  bool sent_ok_ = false;
  std::jthread thread_;
};

TEST_P(Stream, EchoReturnsEveryByteValue) {  // STR-2
  ASSERT_TRUE(start(launch()));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  std::string all;
  for (int round = 0; round < 4; ++round) {
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  }
  ASSERT_TRUE(st::send_everything(client, all));
  ASSERT_TRUE(client.shutdown_write());
  const auto got = st::read_until_eof(client, 5s);
  EXPECT_TRUE(got.eof);
  EXPECT_TRUE(same_bytes(got.bytes, all));
}

TEST_P(Stream, EchoOfOneByteSegments) {  // STR-1
  ASSERT_TRUE(start(launch()));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  const int on = 1;
  ASSERT_EQ(::setsockopt(client.fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on), 0);
  const std::string payload = pattern(1000, 3);
  for (const char c : payload) ASSERT_TRUE(st::send_everything(client, std::string(1, c)));
  ASSERT_TRUE(client.shutdown_write());
  const auto got = st::read_until_eof(client, 5s);
  EXPECT_TRUE(got.eof);
  EXPECT_TRUE(same_bytes(got.bytes, payload));
}

TEST_P(Stream, EchoOf16MiBWhileReadingConcurrently) {  // STR-1
  ASSERT_TRUE(start(launch()));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  const std::string payload = pattern(16u << 20, 16);
  Writer writer(client, payload);
  const auto got = st::read_until_eof(client, 60s);
  EXPECT_TRUE(writer.finish());
  EXPECT_TRUE(got.eof);
  EXPECT_TRUE(same_bytes(got.bytes, payload));
}

TEST_P(Stream, HalfCloseGetsEverythingThenEof) {  // STR-3
  ASSERT_TRUE(start(launch()));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  const std::string payload = pattern(1u << 20, 31);
  Writer writer(client, payload);
  const auto got = st::read_until_eof(client, 30s);
  EXPECT_TRUE(writer.finish());
  EXPECT_TRUE(got.eof) << "no EOF after the whole echo";
  EXPECT_FALSE(got.reset);
  EXPECT_TRUE(same_bytes(got.bytes, payload));
}

TEST_P(Stream, SlowReaderGets16MiBWhole) {  // STR-4
  // chargen's endless reply, read slowly through a small window: the server meets a full send
  // buffer and short writes over and over, and must lose or repeat nothing.
  ASSERT_TRUE(start(launch("chargen")));
  auto socket = net::Socket::tcp(tcp().family());
  ASSERT_TRUE(socket);
  ASSERT_TRUE(socket->set_receive_buffer(16384));  // before connect: a small window
  ASSERT_TRUE(socket->connect(tcp()));
  const std::size_t want = 16u << 20;
  std::string got;
  got.reserve(want);
  std::array<std::byte, 8192> buffer;
  std::size_t next_pause = 64u << 10;
  const auto deadline = SteadyClock::now() + 60s;
  while (got.size() < want && SteadyClock::now() < deadline) {
    if (got.size() >= next_pause) {  // two pauses: the server's buffers surely fill up
      std::this_thread::sleep_for(100ms);
      next_pause = next_pause < (8u << 20) ? (8u << 20) : want;
    }
    const auto w = net::wait_for(socket->fd(), POLLIN, -1, 5s);
    if (w.outcome != net::WaitOutcome::kReady) break;
    const auto r = net::recv_some(
        socket->fd(), std::span(buffer).first(std::min(buffer.size(), want - got.size())));
    if (r.outcome == net::IoOutcome::kData) {
      got.append(reinterpret_cast<const char*>(buffer.data()), r.bytes);
    } else if (r.outcome != net::IoOutcome::kWouldBlock) {
      break;
    }
  }
  EXPECT_EQ(got.size(), want);
  EXPECT_TRUE(is_chargen(got, 0));
}

TEST_P(Stream, ClientResettingUnderChargenDoesNotHurtTheServer) {  // STR-5, CON-5
  ASSERT_TRUE(start(launch("chargen")));
  for (int i = 0; i < 3; ++i) {
    auto rude = connect();
    ASSERT_TRUE(rude.valid());
    ASSERT_EQ(st::read_exactly(rude, 10000, 5s).bytes.size(), 10000u);
    ASSERT_TRUE(rude.set_linger_zero());
    // Closing with SO_LINGER 0 sends RST while the server is writing.
  }
  auto polite = connect();
  ASSERT_TRUE(polite.valid());
  const auto got = st::read_exactly(polite, 100000, 5s);
  EXPECT_TRUE(is_chargen(got.bytes, 0));
}

TEST_P(Stream, ClientThatStopsReadingCostsBoundedMemory) {  // STR-7
  ASSERT_TRUE(start(launch("chargen")));
  auto stuck = connect();
  ASSERT_TRUE(stuck.valid());
  // One byte read: the connection is being served (in the processes model by a child, which
  // the process-group sum below includes).
  ASSERT_EQ(st::read_exactly(stuck, 1, 5s).bytes.size(), 1u);
  const long before = st::group_resident_kib(pid());
  long peak = before;
  // Loopback moves 256 MiB in well under a second: a server that buffers what it cannot send
  // would grow by far more than the bound meanwhile.
  const auto until = SteadyClock::now() + 1s;
  while (SteadyClock::now() < until) {
    peak = std::max(peak, st::group_resident_kib(pid()));
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LT(peak - before, 64 * 1024) << "RSS grew from " << before << " KiB to " << peak << " KiB";
  // And the stuck client still gets the pattern where it left off.
  const auto more = st::read_exactly(stuck, 5000, 5s);
  EXPECT_TRUE(is_chargen(more.bytes, 1));
}

TEST_P(Stream, StopsWithinTwoSecondsWhileAFastReaderDrainsChargen) {  // CON-6
  ASSERT_TRUE(start(launch("chargen")));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  Drain drain(client);
  // Wait (bounded) until the server is really pouring data into the connection.
  const auto deadline = SteadyClock::now() + 5s;
  while (drain.bytes() < (16u << 20) && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_GE(drain.bytes(), 16u << 20);
  const auto status = stop(2s);
  ASSERT_TRUE(status) << "still running 2 s after SIGTERM";
  EXPECT_TRUE(status->exited(0)) << "code " << status->code << ", signal " << status->signal;
}

TEST_P(Stream, PeersAtEofOrIdleCostNoCpu) {  // STR-6
  ASSERT_TRUE(start(launch("chargen")));
  // One client half-closed and no longer reading (the server is left with a full send
  // buffer), one that reads nothing at all.
  auto half_closed = connect();
  ASSERT_TRUE(half_closed.valid());
  ASSERT_EQ(st::read_exactly(half_closed, 1, 5s).bytes.size(), 1u);
  ASSERT_TRUE(half_closed.shutdown_write());
  auto silent = connect();  // iterative: waits in the backlog, which costs nothing either
  ASSERT_TRUE(silent.valid());
  if (concurrent()) {
    ASSERT_EQ(st::read_exactly(silent, 1, 5s).bytes.size(), 1u);
  }
  std::this_thread::sleep_for(300ms);  // both send buffers fill up meanwhile
  const long before = st::group_cpu_ms(pid());
  std::this_thread::sleep_for(1s);
  const long used = st::group_cpu_ms(pid()) - before;
  EXPECT_LT(used, 50) << "ms of CPU in 1 s with nothing to do";
}

TEST_P(Stream, IdleConnectionIsNotClosed) {  // STR-8 (shortened to 2 s)
  ASSERT_TRUE(start(launch()));
  auto idle = connect();
  ASSERT_TRUE(idle.valid());
  const auto w = net::wait_for(idle.fd(), POLLIN, -1, 2s);
  EXPECT_EQ(w.outcome, net::WaitOutcome::kTimeout)
      << "the server closed or wrote (revents " << w.revents << ")";
  ASSERT_TRUE(st::send_everything(idle, "still here"));
  EXPECT_EQ(st::read_exactly(idle, 10, 5s).bytes, "still here");
}

INSTANTIATE_TEST_SUITE_P(Server, Stream, ::testing::ValuesIn(all_variants()), variant_name);

}  // namespace
}  // namespace sockspec::server::tests
