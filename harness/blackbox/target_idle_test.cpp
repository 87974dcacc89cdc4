// threads_sleeping and wait_settled against real processes: a sleeping child, a busy one, a gone
// one; coverage_environment's ASAN_OPTIONS.
#include "harness/blackbox/target_idle.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace sockspec::blackbox {
namespace {

using namespace std::chrono_literals;

// A child that sleeps in pause() or spins, killed and reaped at the end of the scope.
class Child {
 public:
  explicit Child(bool busy) : pid_(fork()) {
    if (pid_ == 0) {
      if (busy) {
        std::atomic<unsigned long> spins{0};
        for (;;) spins.fetch_add(1, std::memory_order_relaxed);
      }
      for (;;) pause();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ <= 0) return;
    (void)kill(pid_, SIGKILL);
    (void)waitpid(pid_, nullptr, 0);
  }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

TEST(ThreadsSleeping, ASleepingChildYesThisRunningProcessNo) {
  const Child sleeper(false);
  ASSERT_GT(sleeper.pid(), 0);
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {  // until the child reached pause()
    seen = threads_sleeping(sleeper.pid());
    if (!seen) std::this_thread::sleep_for(5ms);
  }
  EXPECT_TRUE(seen);
  EXPECT_FALSE(threads_sleeping(getpid()));  // this thread runs while it reads
}

TEST(ThreadsSleeping, AGoneProcessIsNotSleeping) {
  pid_t pid = -1;
  {
    const Child gone(false);
    pid = gone.pid();
  }
  EXPECT_FALSE(threads_sleeping(pid));
}

TEST(WaitSettled, SettlesOnASleeperNotOnASpinner) {
  net::Result<CoverageMap> map = CoverageMap::create();
  ASSERT_TRUE(map);
  const Child sleeper(false);
  EXPECT_TRUE(wait_settled(sleeper.pid(), *map, 2s));
  const Child spinner(true);
  EXPECT_FALSE(wait_settled(spinner.pid(), *map, 50ms));
}

TEST(CoverageEnvironment, AsanUnsymbolizedAndTheMapsVariables) {
  net::Result<CoverageMap> map = CoverageMap::create();
  ASSERT_TRUE(map);
  const Environment from_profile =
      coverage_environment(*map, {{"ASAN_OPTIONS", "abort_on_error=1"}, {"X", "1"}}, "ignored=1");
  ASSERT_EQ(from_profile.size(), 5u);
  EXPECT_EQ(from_profile[0].second, "abort_on_error=1:symbolize=0");
  EXPECT_EQ(from_profile[2].first, "__AFL_SHM_ID");
  const Environment inherited = coverage_environment(*map, {}, "detect_leaks=0");
  EXPECT_EQ(inherited[0],
            std::make_pair(std::string("ASAN_OPTIONS"), std::string("detect_leaks=0:symbolize=0")));
  EXPECT_EQ(coverage_environment(*map, {}, nullptr)[0].second, "symbolize=0");
}

}  // namespace
}  // namespace sockspec::blackbox
