// ChildSet: forked children are reaped when they end, and stopped and reaped on stop_all().
#include "targets/server/child_set.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace sockspec::server {
namespace {

using namespace std::chrono_literals;

TEST(ChildSet, ReapsChildrenThatEnded) {  // CON-3
  ChildSet children(4);
  ASSERT_TRUE(children.spawn([] {}));
  EXPECT_EQ(children.room(), 3u);
  // Bounded: the child exits at once; reap() never blocks.
  for (int i = 0; i < 500 && children.room() < 4u; ++i) {
    std::this_thread::sleep_for(2ms);
    children.reap();
  }
  EXPECT_EQ(children.room(), 4u);
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1) << "no child left to reap";
}

TEST(ChildSet, StopAllEndsAndReapsEveryChild) {  // CON-6
  const pid_t parent = ::getpid();
  ChildSet children(4);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(children.spawn([parent] {
      while (::getppid() == parent) ::pause();  // runs until a signal ends it
    }));
  }
  EXPECT_EQ(children.room(), 1u);
  const auto t0 = std::chrono::steady_clock::now();
  children.stop_all(1000ms);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms) << "SIGTERM ends them at once";
  EXPECT_EQ(children.room(), 4u);
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1) << "every child reaped";
}

}  // namespace
}  // namespace sockspec::server
