// Tests of the stdin/stdout loops with the sys seam injecting short writes, EINTR and errors.
#include "targets/client/stdio.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "targets/net/fd.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::client {
namespace {

using ::testing::HasSubstr;

constexpr int kFakeStdout = 1;

Clock::time_point soon() {
  return Clock::now() + std::chrono::seconds(5);
}

std::string all_bytes() {
  std::string s;
  for (int round = 0; round < 40; ++round) {
    for (int b = 0; b < 256; ++b) s += static_cast<char>(static_cast<unsigned char>(b));
  }
  return s;
}

TEST(WriteAll, FinishesShortWritesAndRetriesEintr) {
  std::string written;
  int calls = 0;
  net::sys::Ops ops = net::sys::real_ops();
  ops.write = [&](int fd, const void* buf, size_t len) -> ssize_t {
    EXPECT_EQ(fd, kFakeStdout);
    if (++calls % 3 == 0) {
      errno = EINTR;
      return -1;
    }
    const size_t n = std::min<size_t>(len, 7);  // a short write every time
    written.append(static_cast<const char*>(buf), n);
    return static_cast<ssize_t>(n);
  };
  const net::sys::ScopedOps scoped(ops);
  const std::string data = all_bytes();
  const net::Status s = write_all(kFakeStdout, std::as_bytes(std::span(data)), soon());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(written, data);
}

TEST(WriteAll, ReportsABrokenPipeWithErrnoName) {
  net::sys::Ops ops = net::sys::real_ops();
  ops.write = [](int, const void*, size_t) -> ssize_t {
    errno = EPIPE;
    return -1;
  };
  const net::sys::ScopedOps scoped(ops);
  const net::Status s = write_all(kFakeStdout, std::as_bytes(std::span("x", 1)), soon());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("write stdout: Broken pipe (EPIPE)"));
}

struct Pipe {
  net::Fd read;
  net::Fd write;
};

Pipe make_pipe() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(net::sys::ops().pipe2(fds, O_CLOEXEC), 0);
  return {net::Fd(fds[0]), net::Fd(fds[1])};
}

TEST(ReadAll, ReadsEveryByteUntilEof) {
  Pipe pipe = make_pipe();
  const std::string data = all_bytes();
  ASSERT_EQ(net::sys::ops().write(pipe.write.get(), data.data(), data.size()),
            static_cast<ssize_t>(data.size()));
  pipe.write.reset();
  auto read = read_all(pipe.read.get(), soon());
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, data);
}

TEST(ReadAll, GivesUpAtTheDeadlineWhenInputNeverEnds) {
  Pipe pipe = make_pipe();
  ASSERT_EQ(net::sys::ops().write(pipe.write.get(), "partial", 7), 7);
  auto read = read_all(pipe.read.get(), Clock::now() + std::chrono::milliseconds(50));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ETIMEDOUT);
  EXPECT_THAT(read.error().message, HasSubstr("timed out"));
}

}  // namespace
}  // namespace sockspec::client
