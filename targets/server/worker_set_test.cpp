// WorkerSet: bounded threads, joined after they say they finished.
#include "targets/server/worker_set.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <latch>

namespace sockspec::server {
namespace {

// Waits (bounded) until the wake-up descriptor is readable.
bool woken(const WorkerSet& workers) {
  pollfd p{workers.wake_fd(), POLLIN, 0};
  return ::poll(&p, 1, 5000) == 1;
}

TEST(WorkerSet, RoomShrinksWithRunningWorkersAndComesBackAfterReap) {
  WorkerSet workers(2);
  std::latch release(1);
  std::atomic<int> ran{0};
  for (int i = 0; i < 2; ++i) {
    workers.spawn([&] {
      release.wait();
      ++ran;
    });
  }
  EXPECT_FALSE(workers.has_room());
  EXPECT_EQ(workers.room(), 0u);
  workers.reap();  // nothing finished yet: nothing joined
  EXPECT_EQ(workers.room(), 0u);
  release.count_down();
  while (workers.room() < 2) {
    ASSERT_TRUE(woken(workers));
    workers.reap();
  }
  EXPECT_EQ(ran.load(), 2);
  EXPECT_TRUE(workers.has_room());
}

TEST(WorkerSet, DestructorJoinsWhatIsStillRunning) {
  std::atomic<bool> finished{false};
  {
    WorkerSet workers(1);
    workers.spawn([&] { finished = true; });
  }
  EXPECT_TRUE(finished.load());
}

}  // namespace
}  // namespace sockspec::server
