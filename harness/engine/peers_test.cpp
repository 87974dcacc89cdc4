// Progress, not totals: write_all times out only after a stall (nothing sent, nothing drained),
// and the diagnostics give the rate seen. The peers are scripted over a socketpair whose small
// buffer makes every send wait for the reader; they pace themselves, the tests assert outcomes
// and byte counts, never durations.
#include "harness/engine/peers.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace sockspec::engine {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr std::size_t kPayload = 64 * 1024;
constexpr std::size_t kPiece = 1024;
constexpr milliseconds kPace{5};     // between the scripted peer's reads or writes
constexpr milliseconds kStall{250};  // 50 paces: a paced peer never stalls

// Two connected stream sockets; ours is non-blocking and has a send buffer of a few KiB, so a 64
// KiB write waits for the reader all along.
struct Pair {
  net::Socket ours;
  net::Socket theirs;
};
Pair socket_pair() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  EXPECT_EQ(::fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);  // as the harness's sockets
  const int small = 4096;
  EXPECT_EQ(::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
  return {net::Socket(net::Fd(fds[0])), net::Socket(net::Fd(fds[1]))};
}

// Reads `pieces` pieces of at most kPiece bytes, kPace apart, then nothing more.
std::size_t read_slowly(const net::Socket& s, std::size_t pieces) {
  std::size_t got = 0;
  char buffer[kPiece];
  for (std::size_t i = 0; i < pieces; ++i) {
    const ssize_t n = ::recv(s.fd(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    std::this_thread::sleep_for(kPace);
  }
  return got;
}

TEST(WriteAll, APeerThatKeepsReadingSlowlyIsNeverStalled) {
  Pair p = socket_pair();
  std::size_t read = 0;
  std::jthread reader([&] { read = read_slowly(p.theirs, 2 * kPayload / kPiece); });
  // 64 KiB at 1 KiB per pace takes far longer than the stall limit: a total limit would fail.
  const WriteResult w =
      write_all(p.ours, std::string(kPayload, 'x'), TransferLimit{kStall}, -1, nullptr);
  EXPECT_EQ(w.outcome, WriteOutcome::done);
  EXPECT_EQ(w.written, kPayload);
  p.ours = net::Socket();  // EOF: the reader ends
  reader.join();
  EXPECT_EQ(read, kPayload);
}

TEST(WriteAll, APeerThatStopsReadingTimesOutAfterWhatItTook) {
  Pair p = socket_pair();
  std::jthread reader([&] { (void)read_slowly(p.theirs, 8); });
  const WriteResult w =
      write_all(p.ours, std::string(kPayload, 'x'), TransferLimit{kStall}, -1, nullptr);
  reader.join();
  EXPECT_EQ(w.outcome, WriteOutcome::timeout);
  EXPECT_GE(w.written, 8 * kPiece);
  EXPECT_LT(w.written, kPayload);
}

TEST(WriteAll, BytesReceivedWhileSendingAreProgressToo) {
  Pair p = socket_pair();
  // Never reads; writes 64 pieces, paced, then stops: the send is stuck all along, yet it is
  // not stalled while the peer's bytes keep coming.
  std::jthread writer([&] {
    const std::string piece(kPiece, 'y');
    for (std::size_t i = 0; i < 64; ++i) {
      if (::send(p.theirs.fd(), piece.data(), piece.size(), MSG_NOSIGNAL) <= 0) break;
      std::this_thread::sleep_for(kPace);
    }
  });
  std::string drained;
  const WriteResult w =
      write_all(p.ours, std::string(kPayload, 'x'), TransferLimit{kStall}, -1, &drained);
  writer.join();
  EXPECT_EQ(w.outcome, WriteOutcome::timeout);
  EXPECT_EQ(drained.size(), 64 * kPiece);  // it waited for the last piece before giving up
}

TEST(WriteAll, ADeadlineEndsEvenAProgressingTransfer) {
  Pair p = socket_pair();
  std::jthread reader([&] { (void)read_slowly(p.theirs, 2 * kPayload / kPiece); });
  const WriteResult w = write_all(p.ours, std::string(kPayload, 'x'),
                                  TransferLimit{kStall, Clock::now()}, -1, nullptr);
  p.ours = net::Socket();
  reader.join();
  EXPECT_EQ(w.outcome, WriteOutcome::timeout);
  EXPECT_LT(w.written, kPayload);
}

TEST(DescribeTransfer, GivesTheAmountAndTheRate) {
  EXPECT_EQ(describe_transfer(1572864, std::chrono::milliseconds(25600)), "1.5 MiB at 60.0 KiB/s");
  EXPECT_EQ(describe_transfer(300, std::chrono::seconds(1)), "300 bytes at 300 bytes/s");
  EXPECT_EQ(describe_transfer(1, std::chrono::microseconds(10)), "1 byte");
  EXPECT_EQ(describe_transfer(65536, std::chrono::seconds(0)), "64.0 KiB");
}

TEST(DescribeStall, SaysThePeerStoppedReadingAfterWhatAndAtWhatRate) {
  EXPECT_EQ(describe_stall(1572864, 16777216, milliseconds(25600), std::chrono::seconds(5), true),
            "only 1572864 of 16777216 bytes sent: the peer stopped reading: no byte accepted and "
            "none received for 5s after 1.5 MiB at 60.0 KiB/s");
  EXPECT_THAT(describe_stall(0, 10, milliseconds(0), std::chrono::seconds(5), false),
              HasSubstr("no byte accepted for 5s"));
}

}  // namespace
}  // namespace sockspec::engine
