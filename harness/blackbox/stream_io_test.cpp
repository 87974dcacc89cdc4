// Tests of stream_io over socketpairs and loopback TCP, with the calls counted through the
// sys::ops seam: when read_stream waits, reads and sets TCP_QUICKACK; how connect_stream connects.
#include "harness/blackbox/stream_io.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "targets/net/sys.hpp"

namespace sockspec::blackbox {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// The calls made, in order: 'p' poll, 'r' recv, 'q' setsockopt TCP_QUICKACK, 'o' getsockopt,
// 'f' fcntl.
net::sys::Ops recording(std::string& calls) {
  net::sys::Ops ops = net::sys::real_ops();
  const net::sys::Ops real = net::sys::real_ops();
  ops.poll = [&calls, real](pollfd* fds, nfds_t count, int ms) {
    calls += 'p';
    return real.poll(fds, count, ms);
  };
  ops.recv = [&calls, real](int fd, void* b, size_t n, int f) {
    calls += 'r';
    return real.recv(fd, b, n, f);
  };
  ops.setsockopt = [&calls, real](int fd, int level, int name, const void* v, socklen_t len) {
    if (level == IPPROTO_TCP && name == TCP_QUICKACK) calls += 'q';
    return real.setsockopt(fd, level, name, v, len);
  };
  ops.getsockopt = [&calls, real](int fd, int level, int name, void* v, socklen_t* len) {
    calls += 'o';
    return real.getsockopt(fd, level, name, v, len);
  };
  ops.fcntl = [&calls, real](int fd, int cmd, int arg) {
    calls += 'f';
    return real.fcntl(fd, cmd, arg);
  };
  return ops;
}

// A non-blocking socketpair: [0] is read by read_stream, [1] written by the test.
struct Pair {
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0); }
  ~Pair() {
    ::close(fds[0]);
    if (fds[1] >= 0) ::close(fds[1]);
  }
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;
  void write(std::string_view s) const { ASSERT_EQ(::write(fds[1], s.data(), s.size()), s.size()); }
  void close_writer() {
    ::close(fds[1]);
    fds[1] = -1;
  }
  int fds[2] = {-1, -1};
};

Deadline in_a_second() {
  return std::chrono::steady_clock::now() + 1s;
}

TEST(ReadStream, WaitsBeforeReadingAReplyThatIsNotThereYet) {
  Pair pair;
  std::string calls;
  std::string received;
  ReplyPace pace;  // fresh: waits first
  const net::sys::ScopedOps scoped(recording(calls));
  std::thread later([&pair] {
    std::this_thread::sleep_for(20ms);
    pair.write("hello");
  });
  const StreamStatus s = read_stream(pair.fds[0], received, 5, false, in_a_second(), -1, pace);
  later.join();
  EXPECT_EQ(s.end, StreamEnd::done);
  EXPECT_EQ(received, "hello");
  EXPECT_EQ(calls, "pr");  // no recv() to learn that nothing is there, no TCP_QUICKACK
}

TEST(ReadStream, SetsQuickAckBeforeWaitingForTheRestOfAReply) {
  Pair pair;
  pair.write("hel");
  std::string calls;
  std::string received;
  ReplyPace pace;  // fresh: waits first
  const net::sys::ScopedOps scoped(recording(calls));
  std::thread later([&pair] {
    std::this_thread::sleep_for(20ms);
    pair.write("lo");
  });
  const StreamStatus s = read_stream(pair.fds[0], received, 5, false, in_a_second(), -1, pace);
  later.join();
  EXPECT_EQ(s.end, StreamEnd::done);
  EXPECT_EQ(received, "hello");
  EXPECT_EQ(calls, "prrqpr");  // the rest may be held back until our ACK
}

TEST(ReadStream, ToEofTakesACloseQueuedBehindTheDataWithoutWaiting) {
  Pair pair;
  pair.write("hello");
  pair.close_writer();
  std::string calls;
  std::string received;
  ReplyPace pace;  // fresh: waits first
  const net::sys::ScopedOps scoped(recording(calls));
  const StreamStatus s = read_stream(pair.fds[0], received, 5, true, in_a_second(), -1, pace);
  EXPECT_EQ(s.end, StreamEnd::done);
  EXPECT_EQ(received, "hello");
  EXPECT_EQ(calls, "prr");
}

TEST(ReadStream, NothingOwedTakesWhatIsThereWithoutWaiting) {
  Pair pair;
  pair.write("x");
  std::string calls;
  std::string received;
  ReplyPace pace;  // fresh: waits first
  const net::sys::ScopedOps scoped(recording(calls));
  const StreamStatus s = read_stream(pair.fds[0], received, 0, false, in_a_second(), -1, pace);
  EXPECT_EQ(s.end, StreamEnd::done);
  EXPECT_EQ(received, "x");
  EXPECT_EQ(calls, "r");
}

TEST(ReadStream, ReadsAtOnceWhileRepliesWereThereAtOnce) {
  Pair pair;
  std::string calls;
  ReplyPace pace;
  pace.saw(true);
  const net::sys::ScopedOps scoped(recording(calls));
  pair.write("hello");
  std::string received;
  EXPECT_EQ(read_stream(pair.fds[0], received, 5, false, in_a_second(), -1, pace).end,
            StreamEnd::done);
  EXPECT_EQ(calls, "r");
  std::thread later([&pair] {
    std::this_thread::sleep_for(20ms);
    pair.write("again");
  });
  received.clear();
  EXPECT_EQ(read_stream(pair.fds[0], received, 5, false, in_a_second(), -1, pace).end,
            StreamEnd::done);
  later.join();
  EXPECT_EQ(received, "again");
  EXPECT_EQ(calls, "rrpr");         // the guess missed: one recv() for nothing
  EXPECT_FALSE(pace.read_first());  // so the next reply is waited for first
}

TEST(ReplyPace, GuessesFromTheLastReplyAndProbesEverySixteenth) {
  ReplyPace pace;
  int read_first = 0;
  for (int i = 0; i < 32; ++i) read_first += pace.read_first() ? 1 : 0;
  EXPECT_EQ(read_first, 2);  // a slow server: one try in 16
  pace.saw(true);
  EXPECT_TRUE(pace.read_first());
  EXPECT_TRUE(pace.read_first());
  pace.saw(false);
  EXPECT_FALSE(pace.read_first());
}

TEST(ConnectStream, ConnectsNonBlockingWithoutAskingForTheError) {
  net::Result<net::Endpoint> any = net::Endpoint::from_host("127.0.0.1", 0);
  ASSERT_TRUE(any);
  net::Result<net::Socket> listener = net::Socket::tcp(AF_INET);
  ASSERT_TRUE(listener);
  ASSERT_TRUE(listener->bind(*any).ok());
  ASSERT_TRUE(listener->listen(4).ok());
  net::Result<net::Endpoint> at = listener->local_endpoint();
  ASSERT_TRUE(at);
  std::string calls;
  net::Result<net::Socket> s = [&] {
    const net::sys::ScopedOps scoped(recording(calls));
    return connect_stream(*at, 1000ms);
  }();
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(calls.find_first_of("of"), std::string::npos) << calls;  // no getsockopt, no fcntl
  EXPECT_NE(::fcntl(s->fd(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(s->fd(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST(ConnectStream, RefusedNamesThePeerAndTheErrno) {
  net::Result<net::Endpoint> any = net::Endpoint::from_host("127.0.0.1", 0);
  ASSERT_TRUE(any);
  net::Endpoint closed;
  {
    net::Result<net::Socket> bound = net::Socket::tcp(AF_INET);  // bound, never listening
    ASSERT_TRUE(bound);
    ASSERT_TRUE(bound->bind(*any).ok());
    closed = *bound->local_endpoint();
  }
  net::Result<net::Socket> s = connect_stream(closed, 1000ms);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ECONNREFUSED);
  EXPECT_THAT(s.error().message,
              HasSubstr("connect " + closed.to_string() + ": Connection refused (ECONNREFUSED)"));
}

}  // namespace
}  // namespace sockspec::blackbox
