// Tests of Fd: it closes exactly once, through the sys seam, and moves leave the source empty.
#include "targets/net/fd.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <type_traits>
#include <vector>

#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

static_assert(!std::is_copy_constructible_v<Fd>);
static_assert(!std::is_copy_assignable_v<Fd>);
static_assert(std::is_nothrow_move_constructible_v<Fd>);
static_assert(std::is_nothrow_move_assignable_v<Fd>);
static_assert(!std::is_convertible_v<int, Fd>, "the constructor from int must be explicit");

// Records every close() instead of making it; the descriptor numbers are made up.
class CloseRecorder {
 public:
  CloseRecorder() : ops_(make_ops(closed_)) {}
  const std::vector<int>& closed() const { return closed_; }

 private:
  static sys::Ops make_ops(std::vector<int>& closed) {
    sys::Ops ops = sys::real_ops();
    ops.close = [&closed](int fd) {
      closed.push_back(fd);
      return 0;
    };
    return ops;
  }
  std::vector<int> closed_;
  sys::ScopedOps ops_;
};

TEST(Fd, DefaultHoldsNothingAndClosesNothing) {
  CloseRecorder recorder;
  {
    const Fd fd;
    EXPECT_FALSE(fd.valid());
    EXPECT_FALSE(static_cast<bool>(fd));
    EXPECT_EQ(fd.get(), -1);
  }
  EXPECT_THAT(recorder.closed(), IsEmpty());
}

TEST(Fd, DestructorClosesExactlyOnce) {
  CloseRecorder recorder;
  {
    const Fd fd(1000);
    EXPECT_TRUE(fd.valid());
    EXPECT_EQ(fd.get(), 1000);
    EXPECT_THAT(recorder.closed(), IsEmpty());
  }
  EXPECT_THAT(recorder.closed(), ElementsAre(1000));
}

TEST(Fd, MoveConstructionLeavesTheSourceEmpty) {
  CloseRecorder recorder;
  {
    Fd source(1000);
    const Fd target(std::move(source));
    EXPECT_FALSE(source.valid());  // NOLINT(bugprone-use-after-move): the contract under test
    EXPECT_EQ(source.get(), -1);
    EXPECT_EQ(target.get(), 1000);
    EXPECT_THAT(recorder.closed(), IsEmpty());
  }
  EXPECT_THAT(recorder.closed(), ElementsAre(1000));
}

TEST(Fd, MoveAssignmentClosesWhatTheTargetHeld) {
  CloseRecorder recorder;
  {
    Fd source(1000);
    Fd target(1001);
    target = std::move(source);
    EXPECT_THAT(recorder.closed(), ElementsAre(1001));
    EXPECT_FALSE(source.valid());  // NOLINT(bugprone-use-after-move): the contract under test
    EXPECT_EQ(target.get(), 1000);
  }
  EXPECT_THAT(recorder.closed(), ElementsAre(1001, 1000));
}

TEST(Fd, SelfMoveAssignmentKeepsTheDescriptor) {
  CloseRecorder recorder;
  {
    Fd fd(1000);
    Fd& alias = fd;
    fd = std::move(alias);
    EXPECT_EQ(fd.get(), 1000);
    EXPECT_THAT(recorder.closed(), IsEmpty());
  }
  EXPECT_THAT(recorder.closed(), ElementsAre(1000));
}

TEST(Fd, ReleaseGivesUpOwnershipWithoutClosing) {
  CloseRecorder recorder;
  {
    Fd fd(1000);
    EXPECT_EQ(fd.release(), 1000);
    EXPECT_FALSE(fd.valid());
    EXPECT_EQ(fd.release(), -1);
  }
  EXPECT_THAT(recorder.closed(), IsEmpty());
}

TEST(Fd, ResetClosesTheOldAndHoldsTheNew) {
  CloseRecorder recorder;
  {
    Fd fd(1000);
    fd.reset(1001);
    EXPECT_THAT(recorder.closed(), ElementsAre(1000));
    EXPECT_EQ(fd.get(), 1001);
    fd.reset();
    EXPECT_THAT(recorder.closed(), ElementsAre(1000, 1001));
    EXPECT_FALSE(fd.valid());
    fd.reset();  // nothing held: nothing closed
  }
  EXPECT_THAT(recorder.closed(), ElementsAre(1000, 1001));
}

TEST(Fd, ResetOfAnEmptyFdClosesNothing) {
  CloseRecorder recorder;
  {
    Fd fd;
    fd.reset(1002);
    EXPECT_THAT(recorder.closed(), IsEmpty());
  }
  EXPECT_THAT(recorder.closed(), ElementsAre(1002));
}

TEST(Fd, CloseInterruptedIsNotRetried) {
  int calls = 0;
  sys::Ops ops = sys::real_ops();
  ops.close = [&calls](int) {
    ++calls;
    errno = EINTR;
    return -1;
  };
  {
    const sys::ScopedOps scoped(ops);
    { const Fd fd(1000); }
  }
  EXPECT_EQ(calls, 1);
}

TEST(Fd, ReallyClosesARealDescriptor) {
  int fds[2] = {-1, -1};
  ASSERT_EQ(sys::ops().pipe2(fds, O_CLOEXEC), 0);
  const Fd keep(fds[1]);
  { const Fd doomed(fds[0]); }
  errno = 0;
  EXPECT_EQ(sys::ops().fcntl(fds[0], F_GETFD, 0), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_GE(sys::ops().fcntl(fds[1], F_GETFD, 0), 0);
}

}  // namespace
}  // namespace sockspec::net
