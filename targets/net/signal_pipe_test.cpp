// Tests of SignalPipe (signals become a readable descriptor), reset_signals_in_child and
// ignore_sigpipe.
#include "targets/net/signal_pipe.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

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

// Whether `sig` is blocked in this thread now.
bool blocked(int sig) {
  sigset_t now;
  EXPECT_EQ(::pthread_sigmask(SIG_BLOCK, nullptr, &now), 0);
  return ::sigismember(&now, sig) == 1;
}

// Puts back a signal's disposition and this thread's mask when the test ends, whatever it did.
class SavedDisposition {
 public:
  explicit SavedDisposition(int sig) : sig_(sig) {
    ::sigaction(sig, nullptr, &saved_);
    ::pthread_sigmask(SIG_BLOCK, nullptr, &mask_);
  }
  ~SavedDisposition() {
    ::sigaction(sig_, &saved_, nullptr);
    ::pthread_sigmask(SIG_SETMASK, &mask_, nullptr);
  }
  SavedDisposition(const SavedDisposition&) = delete;
  SavedDisposition& operator=(const SavedDisposition&) = delete;

 private:
  int sig_;
  struct sigaction saved_ {};
  sigset_t mask_{};
};

bool readable_within_bound(int fd) {
  return wait_for(fd, POLLIN, -1, kBound).outcome == WaitOutcome::kReady;
}

// The signal numbers waiting on the descriptor now, consumed.
std::vector<std::uint32_t> pending_signals(int fd) {
  std::vector<std::uint32_t> out;
  signalfd_siginfo info{};
  while (sys::ops().read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    out.push_back(info.ssi_signo);
  }
  return out;
}

TEST(SignalPipe, ASignalMakesTheDescriptorReadable) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  EXPECT_TRUE(blocked(SIGUSR1)) << "it must wait in the kernel, not run a handler";
  EXPECT_FALSE(pipe->fired());
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_TRUE(readable_within_bound(pipe->fd()));
  EXPECT_TRUE(pipe->fired());
  EXPECT_TRUE(pipe->fired()) << "fired() must not consume";
  pipe->drain();
  EXPECT_FALSE(pipe->fired());
}

TEST(SignalPipe, ASignalFromAnotherProcessIsSeenByEveryThread) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);  // process-directed, as kill(1) sends it
  bool seen_by_other = false;
  std::thread([&] { seen_by_other = readable_within_bound(pipe->fd()); }).join();
  EXPECT_TRUE(seen_by_other);
  EXPECT_TRUE(pipe->fired());
}

TEST(SignalPipe, TellsWhichSignalsArrived) {
  const SavedDisposition usr1(SIGUSR1);
  const SavedDisposition usr2(SIGUSR2);
  auto pipe = SignalPipe::install({SIGUSR1, SIGUSR2});
  ASSERT_THAT(pipe, IsOk());
  ASSERT_EQ(::raise(SIGUSR2), 0);
  ASSERT_TRUE(readable_within_bound(pipe->fd()));
  ASSERT_EQ(::raise(SIGUSR1), 0);
  ASSERT_EQ(::raise(SIGUSR1), 0);  // a standard signal already waiting is not queued twice
  EXPECT_THAT(pending_signals(pipe->fd()),
              ::testing::UnorderedElementsAre(std::uint32_t{SIGUSR1}, std::uint32_t{SIGUSR2}));
  EXPECT_FALSE(pipe->fired());
}

TEST(SignalPipe, RaiseNowFiresLikeASignal) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  pipe->raise_now();
  ASSERT_TRUE(readable_within_bound(pipe->fd()));
  EXPECT_TRUE(pipe->fired());
  EXPECT_THAT(pending_signals(pipe->fd()), ::testing::ElementsAre(std::uint32_t{SIGUSR1}));
  EXPECT_FALSE(pipe->fired());
  pipe->raise_now();
  pipe->raise_now();
  ASSERT_TRUE(readable_within_bound(pipe->fd()));
  pipe->drain();
  EXPECT_FALSE(pipe->fired());
}

TEST(SignalPipe, DescriptorIsCloseOnExecAndNonBlocking) {
  const SavedDisposition saved(SIGUSR1);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  EXPECT_NE(sys::ops().fcntl(pipe->fd(), F_GETFD, 0) & FD_CLOEXEC, 0);
  EXPECT_NE(sys::ops().fcntl(pipe->fd(), F_GETFL, 0) & O_NONBLOCK, 0);
  pipe->drain();  // nothing pending: returns at once
}

TEST(SignalPipe, DestructorConsumesWhatIsPendingAndUnblocks) {
  const SavedDisposition usr1(SIGUSR1);
  const SavedDisposition usr2(SIGUSR2);
  {
    auto pipe = SignalPipe::install({SIGUSR1, SIGUSR2});
    ASSERT_THAT(pipe, IsOk());
    EXPECT_TRUE(blocked(SIGUSR1));
    EXPECT_TRUE(blocked(SIGUSR2));
    // Still pending at the end: unblocking it with its default action would end this test.
    ASSERT_EQ(::raise(SIGUSR1), 0);
  }
  EXPECT_FALSE(blocked(SIGUSR1));
  EXPECT_FALSE(blocked(SIGUSR2));
  EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
}

TEST(SignalPipe, MovedFromPipeLeavesTheSignalsBlocked) {
  const SavedDisposition saved(SIGUSR1);
  auto installed = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(installed, IsOk());
  {
    const SignalPipe moved(std::move(installed).value());
    {
      const SignalPipe emptied(std::move(installed).value());  // NOLINT: twice on purpose
      (void)emptied;
    }
    // Destroying a moved-from pipe must not unblock the live one's signals.
    EXPECT_TRUE(blocked(SIGUSR1));
    ASSERT_EQ(::raise(SIGUSR1), 0);
    ASSERT_TRUE(readable_within_bound(moved.fd()));
    EXPECT_TRUE(moved.fired());
  }
  EXPECT_FALSE(blocked(SIGUSR1));
}

TEST(SignalPipe, OutOfRangeSignalIsAnErrorAndBlocksNothing) {
  const SavedDisposition saved(SIGUSR1);
  for (const int bad : {0, -1, 32, 64}) {
    SCOPED_TRACE(bad);
    auto pipe = SignalPipe::install({SIGUSR1, bad});
    ASSERT_FALSE(pipe.ok());
    EXPECT_EQ(pipe.error().message, "signal number out of range");
    EXPECT_FALSE(blocked(SIGUSR1));
  }
}

TEST(SignalPipe, SignalfdFailureIsAnErrorAndUnblocks) {
  const SavedDisposition saved(SIGUSR1);
  sys::Ops ops = sys::real_ops();
  ops.signalfd = [](int, const sigset_t*, int) {
    errno = EMFILE;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_FALSE(pipe.ok());
  EXPECT_EQ(pipe.error().message, "signalfd: Too many open files (EMFILE)");
  EXPECT_FALSE(blocked(SIGUSR1));
}

TEST(ResetSignalsInChild, RestoresTheDefaultsAndUnblocks) {
  const SavedDisposition saved(SIGUSR1);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGUSR1, &ignore, nullptr), 0);
  auto pipe = SignalPipe::install({SIGUSR1});
  ASSERT_THAT(pipe, IsOk());
  reset_signals_in_child({SIGUSR1});
  EXPECT_EQ(handler_of(SIGUSR1), SIG_DFL);
  EXPECT_FALSE(blocked(SIGUSR1));
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
