// Tests of recv_some/send_some classification, wait_for and send_all, with injected faults.
#include "targets/net/io.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "targets/net/fd.hpp"
#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::net {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kBound{5000};  // a bound on every wait that should end at once

// A connected AF_UNIX stream pair (test fixture: socketpair is not in the seam).
struct Pair {
  Fd a;
  Fd b;
};

Pair make_pair(bool nonblocking) {
  int fds[2] = {-1, -1};
  const int type = SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  EXPECT_EQ(::socketpair(AF_UNIX, type, 0, fds), 0) << std::strerror(errno);
  return {Fd(fds[0]), Fd(fds[1])};
}

// A pipe whose read end is readable: a stop descriptor that has fired.
struct Stop {
  Fd read;
  Fd write;
};

Stop make_stop(bool fired) {
  int fds[2] = {-1, -1};
  EXPECT_EQ(sys::ops().pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  Stop s{Fd(fds[0]), Fd(fds[1])};
  if (fired) {
    EXPECT_EQ(sys::ops().write(s.write.get(), "x", 1), 1);
  }
  return s;
}

std::span<const std::byte> bytes_of(const std::string& s) {
  return std::as_bytes(std::span(s));
}

std::string string_of(std::span<const std::byte> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Fills the send buffer of a non-blocking socket; returns how many bytes went in.
std::size_t fill(int fd) {
  const std::string chunk(65536, 'f');
  std::size_t total = 0;
  for (;;) {
    const IoResult r = send_some(fd, bytes_of(chunk));
    if (r.outcome != IoOutcome::kData) {
      EXPECT_EQ(r.outcome, IoOutcome::kWouldBlock);
      return total;
    }
    total += r.bytes;
  }
}

// Reads everything readable now from a non-blocking socket; returns the count.
std::size_t drain(int fd) {
  std::vector<std::byte> buffer(65536);
  std::size_t total = 0;
  for (;;) {
    const IoResult r = recv_some(fd, buffer);
    if (r.outcome != IoOutcome::kData) return total;
    total += r.bytes;
  }
}

// A step of a scripted recv()/send(): a return value, the errno for -1.
struct Step {
  ssize_t result;
  int error = 0;
};

TEST(RecvSome, RetriesInterruptionsThenReturnsTheData) {
  int calls = 0;
  sys::Ops ops = sys::real_ops();
  ops.recv = [&calls](int, void* buf, size_t len, int flags) -> ssize_t {
    EXPECT_EQ(flags, 0);
    if (++calls <= 2) {
      errno = EINTR;
      return -1;
    }
    EXPECT_GE(len, 3u);
    std::memcpy(buf, "abc", 3);
    return 3;
  };
  const sys::ScopedOps scoped(ops);
  std::vector<std::byte> buffer(16);
  const IoResult r = recv_some(7, buffer);
  EXPECT_EQ(r.outcome, IoOutcome::kData);
  EXPECT_EQ(r.bytes, 3u);
  EXPECT_EQ(r.error, 0);
  EXPECT_EQ(string_of(std::span(buffer).first(3)), "abc");
  EXPECT_EQ(calls, 3);
}

TEST(RecvSome, ClassifiesWhatRecvReturned) {
  struct Case {
    Step step;
    IoOutcome outcome;
    std::size_t bytes;
    int error;
  };
  const Case cases[] = {
      {{5}, IoOutcome::kData, 5, 0},
      {{0}, IoOutcome::kEof, 0, 0},
      {{-1, ECONNRESET}, IoOutcome::kReset, 0, ECONNRESET},
      {{-1, EPIPE}, IoOutcome::kReset, 0, EPIPE},
      {{-1, ETIMEDOUT}, IoOutcome::kReset, 0, ETIMEDOUT},
      {{-1, EHOSTUNREACH}, IoOutcome::kReset, 0, EHOSTUNREACH},
      {{-1, EAGAIN}, IoOutcome::kWouldBlock, 0, EAGAIN},
      {{-1, EBADF}, IoOutcome::kError, 0, EBADF},
      {{-1, ENOTSOCK}, IoOutcome::kError, 0, ENOTSOCK},
      {{-1, EFAULT}, IoOutcome::kError, 0, EFAULT},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "recv returns " << c.step.result << " errno "
                                      << (c.step.error ? strerrorname_np(c.step.error) : "0"));
    sys::Ops ops = sys::real_ops();
    ops.recv = [step = c.step](int, void*, size_t, int) {
      errno = step.error;
      return step.result;
    };
    const sys::ScopedOps scoped(ops);
    std::vector<std::byte> buffer(16);
    const IoResult r = recv_some(7, buffer);
    EXPECT_EQ(r.outcome, c.outcome);
    EXPECT_EQ(r.bytes, c.bytes);
    EXPECT_EQ(r.error, c.error);
  }
}

TEST(RecvSome, ReadsRealDataThenEof) {
  Pair p = make_pair(false);
  ASSERT_EQ(sys::ops().write(p.a.get(), "hello", 5), 5);
  p.a.reset();
  std::vector<std::byte> buffer(16);
  const IoResult data = recv_some(p.b.get(), buffer);
  ASSERT_EQ(data.outcome, IoOutcome::kData);
  EXPECT_EQ(string_of(std::span(buffer).first(data.bytes)), "hello");
  EXPECT_EQ(recv_some(p.b.get(), buffer).outcome, IoOutcome::kEof);
}

TEST(RecvSome, WouldBlockOnAnEmptyNonBlockingSocket) {
  Pair p = make_pair(true);
  std::vector<std::byte> buffer(16);
  const IoResult r = recv_some(p.b.get(), buffer);
  EXPECT_EQ(r.outcome, IoOutcome::kWouldBlock);
  EXPECT_EQ(r.error, EAGAIN);
}

TEST(SendSome, PassesMsgNosignalAndTheWholeBuffer) {
  std::vector<int> flags_seen;
  sys::Ops ops = sys::real_ops();
  ops.send = [&flags_seen](int fd, const void* buf, size_t len, int flags) -> ssize_t {
    EXPECT_EQ(fd, 7);
    EXPECT_EQ(std::string(static_cast<const char*>(buf), len), "payload");
    flags_seen.push_back(flags);
    if (flags_seen.size() == 1) {
      errno = EINTR;
      return -1;
    }
    return 4;  // a short write
  };
  const sys::ScopedOps scoped(ops);
  const IoResult r = send_some(7, bytes_of("payload"));
  EXPECT_EQ(r.outcome, IoOutcome::kData);
  EXPECT_EQ(r.bytes, 4u);
  EXPECT_THAT(flags_seen, ::testing::ElementsAre(MSG_NOSIGNAL, MSG_NOSIGNAL));
}

TEST(SendSome, ClassifiesWhatSendReturned) {
  struct Case {
    Step step;
    IoOutcome outcome;
    int error;
  };
  const Case cases[] = {
      {{-1, EPIPE}, IoOutcome::kReset, EPIPE},
      {{-1, ECONNRESET}, IoOutcome::kReset, ECONNRESET},
      {{-1, EAGAIN}, IoOutcome::kWouldBlock, EAGAIN},
      {{-1, EBADF}, IoOutcome::kError, EBADF},
      {{-1, EMSGSIZE}, IoOutcome::kError, EMSGSIZE},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(strerrorname_np(c.step.error));
    sys::Ops ops = sys::real_ops();
    ops.send = [step = c.step](int, const void*, size_t, int) {
      errno = step.error;
      return step.result;
    };
    const sys::ScopedOps scoped(ops);
    const IoResult r = send_some(7, bytes_of("x"));
    EXPECT_EQ(r.outcome, c.outcome);
    EXPECT_EQ(r.bytes, 0u);
    EXPECT_EQ(r.error, c.error);
  }
}

TEST(SendSome, ClosedPeerIsEpipeNotSigpipe) {
  // With SIGPIPE at its default, a send without MSG_NOSIGNAL would end this process.
  struct sigaction old {};
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ASSERT_EQ(::sigaction(SIGPIPE, &dfl, &old), 0);
  Pair p = make_pair(false);
  p.b.reset();
  const IoResult r = send_some(p.a.get(), bytes_of("x"));
  ::sigaction(SIGPIPE, &old, nullptr);
  EXPECT_EQ(r.outcome, IoOutcome::kReset);
  EXPECT_EQ(r.error, EPIPE);
}

TEST(SendAll, FinishesShortWritesAndReturnsTheExactCount) {
  std::string data(1000, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  // The poll is real, on a socket with room, so each EAGAIN costs one immediate poll.
  Pair p = make_pair(true);
  std::string received;
  int calls = 0;
  int interrupted = 0;
  int would_block = 0;
  int polls = 0;
  sys::Ops ops = sys::real_ops();
  ops.send = [&](int fd, const void* buf, size_t len, int flags) -> ssize_t {
    EXPECT_EQ(fd, p.a.get());
    EXPECT_EQ(flags, MSG_NOSIGNAL);
    ++calls;
    if (calls % 5 == 1) {
      ++interrupted;
      errno = EINTR;
      return -1;
    }
    if (calls % 7 == 3) {
      ++would_block;
      errno = EAGAIN;
      return -1;
    }
    const std::size_t n = std::min<std::size_t>(len, 1 + static_cast<std::size_t>(calls % 3));
    received.append(static_cast<const char*>(buf), n);
    return static_cast<ssize_t>(n);
  };
  const auto real_poll = ops.poll;
  ops.poll = [&](pollfd* fds, nfds_t count, int timeout_ms) {
    ++polls;
    EXPECT_EQ(fds[0].fd, p.a.get());
    EXPECT_EQ(fds[0].events, POLLOUT);
    return real_poll(fds, count, timeout_ms);
  };
  const sys::ScopedOps scoped(ops);
  const IoResult r = send_all(p.a.get(), bytes_of(data), -1, kBound);
  EXPECT_EQ(r.outcome, IoOutcome::kData);
  EXPECT_EQ(r.bytes, data.size());
  EXPECT_EQ(r.error, 0);
  EXPECT_EQ(received, data);
  EXPECT_GT(interrupted, 0);
  EXPECT_GT(would_block, 0);
  EXPECT_EQ(polls, would_block);
}

TEST(SendAll, EmptyDataSendsNothing) {
  int calls = 0;
  sys::Ops ops = sys::real_ops();
  ops.send = [&calls](int, const void*, size_t, int) -> ssize_t {
    ++calls;
    return 0;
  };
  const sys::ScopedOps scoped(ops);
  const IoResult r = send_all(7, {}, -1, kBound);
  EXPECT_EQ(r.outcome, IoOutcome::kData);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_EQ(calls, 0);
}

TEST(SendAll, ReportsHowMuchWentOutBeforeAReset) {
  int calls = 0;
  sys::Ops ops = sys::real_ops();
  ops.send = [&calls](int, const void*, size_t len, int) -> ssize_t {
    if (++calls <= 2) return static_cast<ssize_t>(std::min<size_t>(len, 10));
    errno = ECONNRESET;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  const std::string data(100, 'z');
  const IoResult r = send_all(7, bytes_of(data), -1, kBound);
  EXPECT_EQ(r.outcome, IoOutcome::kReset);
  EXPECT_EQ(r.bytes, 20u);
  EXPECT_EQ(r.error, ECONNRESET);
}

TEST(SendAll, StopsWhenTheStopDescriptorIsReadable) {
  Pair p = make_pair(true);
  const std::size_t room = fill(p.a.get());
  ASSERT_GT(room, 0u);
  ASSERT_EQ(drain(p.b.get()), room);
  const Stop stop = make_stop(true);
  const std::string data(4 * 1024 * 1024, 's');
  const auto start = std::chrono::steady_clock::now();
  const IoResult r = send_all(p.a.get(), bytes_of(data), stop.read.get(), kBound);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kBound) << "waited for the timeout";
  EXPECT_EQ(r.outcome, IoOutcome::kWouldBlock);
  EXPECT_GT(r.bytes, 0u);
  EXPECT_LT(r.bytes, data.size());
  EXPECT_EQ(drain(p.b.get()), r.bytes);
}

TEST(SendAll, GivesUpAtTheTimeout) {
  Pair p = make_pair(true);
  ASSERT_GT(fill(p.a.get()), 0u);
  const std::string data(1000, 't');
  const milliseconds timeout{30};
  const auto start = std::chrono::steady_clock::now();
  const IoResult r = send_all(p.a.get(), bytes_of(data), -1, timeout);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.outcome, IoOutcome::kWouldBlock);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_GE(elapsed, timeout);
  EXPECT_LT(elapsed, kBound);
}

TEST(SendAll, DeliversManyMegabytesToASlowReader) {
  // STR-4 on a real socket: the reader takes small bites while send_all finishes every
  // short write. The reader stops at EOF, which the sender's close guarantees.
  Pair p = make_pair(true);
  std::string data(8 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 % 251);
  std::string received;
  std::jthread reader([&received, fd = p.b.get()] {
    std::vector<std::byte> buffer(4096);
    for (;;) {
      const WaitResult w = wait_for(fd, POLLIN, -1, kBound);
      if (w.outcome != WaitOutcome::kReady) return;
      const IoResult r = recv_some(fd, buffer);
      if (r.outcome == IoOutcome::kWouldBlock) continue;
      if (r.outcome != IoOutcome::kData) return;
      received += string_of(std::span(buffer).first(r.bytes));
    }
  });
  const IoResult r = send_all(p.a.get(), bytes_of(data), -1, milliseconds{20000});
  p.a.reset();
  reader.join();
  EXPECT_EQ(r.outcome, IoOutcome::kData);
  EXPECT_EQ(r.bytes, data.size());
  EXPECT_TRUE(received == data) << "received " << received.size() << " of " << data.size();
}

TEST(WaitFor, ReadyWhenTheDescriptorHasData) {
  Pair p = make_pair(true);
  ASSERT_EQ(sys::ops().write(p.a.get(), "x", 1), 1);
  const Stop stop = make_stop(false);
  const WaitResult w = wait_for(p.b.get(), POLLIN, stop.read.get(), kBound);
  EXPECT_EQ(w.outcome, WaitOutcome::kReady);
  EXPECT_EQ(w.revents, POLLIN);
  EXPECT_EQ(w.error, 0);
}

TEST(WaitFor, StoppedWhenTheStopDescriptorIsReadable) {
  Pair p = make_pair(true);
  const Stop stop = make_stop(true);
  const WaitResult w = wait_for(p.b.get(), POLLIN, stop.read.get(), kBound);
  EXPECT_EQ(w.outcome, WaitOutcome::kStopped);
}

TEST(WaitFor, StopWinsOverReadiness) {
  Pair p = make_pair(true);
  ASSERT_EQ(sys::ops().write(p.a.get(), "x", 1), 1);
  const Stop stop = make_stop(true);
  EXPECT_EQ(wait_for(p.b.get(), POLLIN, stop.read.get(), kBound).outcome, WaitOutcome::kStopped);
}

TEST(WaitFor, TimesOut) {
  Pair p = make_pair(true);
  const Stop stop = make_stop(false);
  for (const milliseconds timeout : {milliseconds{0}, milliseconds{20}}) {
    SCOPED_TRACE(timeout.count());
    const auto start = std::chrono::steady_clock::now();
    const WaitResult w = wait_for(p.b.get(), POLLIN, stop.read.get(), timeout);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(w.outcome, WaitOutcome::kTimeout);
    EXPECT_GE(elapsed, timeout);
    EXPECT_LT(elapsed, kBound);
  }
}

TEST(WaitFor, RestartsAfterAnInterruptionWithTheTimeLeft) {
  Pair p = make_pair(true);
  ASSERT_EQ(sys::ops().write(p.a.get(), "x", 1), 1);
  std::vector<int> timeouts;
  sys::Ops ops = sys::real_ops();
  const auto real_poll = ops.poll;
  ops.poll = [&](pollfd* fds, nfds_t count, int timeout_ms) {
    timeouts.push_back(timeout_ms);
    if (timeouts.size() == 1) {
      errno = EINTR;
      return -1;
    }
    return real_poll(fds, count, timeout_ms);
  };
  const sys::ScopedOps scoped(ops);
  const WaitResult w = wait_for(p.b.get(), POLLIN, -1, milliseconds{3000});
  EXPECT_EQ(w.outcome, WaitOutcome::kReady);
  ASSERT_EQ(timeouts.size(), 2u);
  EXPECT_LE(timeouts[0], 3000);
  EXPECT_GT(timeouts[0], 2000);
  EXPECT_LE(timeouts[1], timeouts[0]);
  EXPECT_GT(timeouts[1], 2000);
}

TEST(WaitFor, PassesTheRightDescriptorsAndTimeouts) {
  struct Case {
    int stop_fd;
    milliseconds timeout;
    nfds_t count;
    int poll_timeout;
  };
  const Case cases[] = {
      {-1, milliseconds{-1}, 1, -1},
      {9, milliseconds{-1}, 2, -1},
      {9, milliseconds{0}, 2, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "stop " << c.stop_fd << " timeout " << c.timeout.count());
    nfds_t seen_count = 0;
    int seen_timeout = -2;
    sys::Ops ops = sys::real_ops();
    ops.poll = [&](pollfd* fds, nfds_t count, int timeout_ms) {
      seen_count = count;
      seen_timeout = timeout_ms;
      EXPECT_EQ(fds[0].fd, 8);
      EXPECT_EQ(fds[0].events, POLLOUT);
      if (count == 2) {
        EXPECT_EQ(fds[1].fd, 9);
        EXPECT_EQ(fds[1].events, POLLIN);
        fds[1].revents = 0;
      }
      fds[0].revents = POLLOUT;
      return 1;
    };
    const sys::ScopedOps scoped(ops);
    const WaitResult w = wait_for(8, POLLOUT, c.stop_fd, c.timeout);
    EXPECT_EQ(w.outcome, WaitOutcome::kReady);
    EXPECT_EQ(w.revents, POLLOUT);
    EXPECT_EQ(seen_count, c.count);
    EXPECT_EQ(seen_timeout, c.poll_timeout);
  }
}

TEST(WaitFor, ReportsAPollError) {
  sys::Ops ops = sys::real_ops();
  ops.poll = [](pollfd*, nfds_t, int) {
    errno = EINVAL;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  const WaitResult w = wait_for(8, POLLIN, -1, kBound);
  EXPECT_EQ(w.outcome, WaitOutcome::kError);
  EXPECT_EQ(w.error, EINVAL);
}

}  // namespace
}  // namespace sockspec::net
