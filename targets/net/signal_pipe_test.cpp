// Tests of SignalPipe (signals become a readable descriptor) and ignore_sigpipe.
#include "targets/net/signal_pipe.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::net {
namespace {

using sockspec::testing::IsOk;
using std::chrono::milliseconds;

constexpr milliseconds kBound{5000};  // a bound on every wait that should end at once

// The handler installed for `sig` now.
void (*handler_of(int sig))(int) {
  struct sigaction now {};
  EXPECT_EQ(::sigaction(sig, nullptr, &now), 0);
  return now.sa_handler;
}

// Puts back a signal's disposition when the test ends, whatever it did.
class SavedDisposition {
 public:
  explicit SavedDisposition(int sig) : sig_(sig) { ::sigaction(sig, nullptr, &saved_); }
  ~SavedDisposition() { ::sigaction(sig_, &saved_, nullptr); }
  SavedDisposition(const SavedDisposition&) = delete;
  SavedDisposition& operator=(const SavedDisposition&) = delete;

 private:
  int sig_;
  struct sigaction saved_ {};
};

bool readable_within_bound(int fd) {
  return wait_for(fd, POLLIN, -1, kBound).outcome == WaitOutcome::kReady;
}

// The bytes waiting in the pipe now.
std::string pending_bytes(int fd) {
  std::string out;
  char buffer[64];
  for (;;) {
    const ssize_t n = sys::ops().read(fd, buffer, sizeof buffer);
    if (n <= 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

TEST(SignalPipe, ASignalMakesTheDescriptorReadable) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  EXPECT_NE(handler_of(SIGUSR1), SIG_DFL);
  EXPECT_NE(handler_of(SIGUSR1), SIG_IGN);
  EXPECT_FALSE(pipe->fired());
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_TRUE(readable_within_bound(pipe->fd()));
  EXPECT_TRUE(pipe->fired());
  EXPECT_TRUE(pipe->fired()) << "fired() must not consume";
  pipe->drain();
  EXPECT_FALSE(pipe->fired());
}

TEST(SignalPipe, WritesTheSignalNumberOncePerSignal) {
  const SavedDisposition usr1(SIGUSR1);
  const SavedDisposition usr2(SIGUSR2);
  auto pipe = SignalPipe::install({SIGUSR1, SIGUSR2});
  ASSERT_THAT(pipe, IsOk());
  ASSERT_EQ(::raise(SIGUSR2), 0);
  ASSERT_TRUE(readable_within_bound(pipe->fd()));
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_EQ(::raise(SIGUSR1), 0);
  std::string bytes;
  while (bytes.size() < 3 && readable_within_bound(pipe->fd())) bytes += pending_bytes(pipe->fd());
  EXPECT_EQ(bytes, std::string({static_cast<char>(SIGUSR2), static_cast<char>(SIGUSR1),
                                static_cast<char>(SIGUSR1)}));
}

TEST(SignalPipe, RaiseNowFiresWithoutASignal) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  pipe->raise_now();
  EXPECT_TRUE(pipe->fired());
  EXPECT_EQ(pending_bytes(pipe->fd()), std::string(1, '\0'));
  EXPECT_FALSE(pipe->fired());
  pipe->raise_now();
  pipe->raise_now();
  pipe->drain();
  EXPECT_FALSE(pipe->fired());
}

TEST(SignalPipe, DescriptorsAreCloseOnExecAndReadEndNonBlocking) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  EXPECT_NE(sys::ops().fcntl(pipe->fd(), F_GETFD, 0) & FD_CLOEXEC, 0);
  EXPECT_NE(sys::ops().fcntl(pipe->fd(), F_GETFL, 0) & O_NONBLOCK, 0);
  pipe->drain();  // an empty pipe: returns at once
}

TEST(SignalPipe, DestructorRestoresTheDefaultDisposition) {
  const SavedDisposition usr1(SIGUSR1);
  const SavedDisposition usr2(SIGUSR2);
  {
    auto pipe = SignalPipe::install({SIGUSR1, SIGUSR2});
    ASSERT_THAT(pipe, IsOk());
    EXPECT_NE(handler_of(SIGUSR1), SIG_DFL);
    EXPECT_NE(handler_of(SIGUSR2), SIG_DFL);
  }
  EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
  EXPECT_EQ(handler_of(SIGUSR2), SIG_DFL);
}

TEST(SignalPipe, MovedFromPipeLeavesTheHandlerInPlace) {
  const SavedDisposition saved(SIGUSR1);
  auto installed = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(installed, IsOk());
  {
    const SignalPipe moved(std::move(installed).value());
    {
      const SignalPipe emptied(std::move(installed).value());  // NOLINT: twice on purpose
      (void)emptied;
    }
    // Destroying a moved-from pipe must not uninstall the live one's handler.
    EXPECT_NE(handler_of(SIGUSR1), SIG_DFL);
    ASSERT_EQ(::raise(SIGUSR1), 0);
    ASSERT_TRUE(readable_within_bound(moved.fd()));
    EXPECT_TRUE(moved.fired());
  }
  EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
}

TEST(SignalPipe, OutOfRangeSignalIsAnErrorAndUndoesTheRest) {
  const SavedDisposition saved(SIGUSR1);
  for (const int bad : {0, -1, 32, 64}) {
    SCOPED_TRACE(bad);
    auto pipe = SignalPipe::install({SIGUSR1, bad});
    ASSERT_FALSE(pipe.ok());
    EXPECT_EQ(pipe.error().message, "signal number out of range");
    EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
  }
}

TEST(SignalPipe, PipeFailureIsAnError) {
  sys::Ops ops = sys::real_ops();
  ops.pipe2 = [](int*, int) {
    errno = EMFILE;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_FALSE(pipe.ok());
  EXPECT_EQ(pipe.error().message, "pipe2: Too many open files (EMFILE)");
  EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
}

TEST(ResetSignalsInChild, RestoresTheDefaults) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  reset_signals_in_child({SIGUSR1});
  EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
}

TEST(IgnoreSigpipe, AWriteToAClosedPeerIsEpipe) {
  const SavedDisposition saved(SIGPIPE);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ASSERT_EQ(::sigaction(SIGPIPE, &dfl, nullptr), 0);
  ignore_sigpipe();
  EXPECT_EQ(handler_of(SIGPIPE), SIG_IGN);
  int fds[2] = {-1, -1};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0) << std::strerror(errno);
  const Fd mine(fds[0]);
  { const Fd peer(fds[1]); }
  // write(), not send(MSG_NOSIGNAL): with SIGPIPE at its default this would end the process.
  errno = 0;
  EXPECT_EQ(sys::ops().write(mine.get(), "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
}

}  // namespace
}  // namespace sockspec::net
