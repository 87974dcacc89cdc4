// Tests of minimise(): delta debugging of messages and bytes, within a budget.
#include "harness/blackbox/minimise.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sockspec::blackbox {
namespace {

using ::testing::ElementsAre;

bool any_contains(const Messages& m, std::string_view what) {
  return std::any_of(m.begin(), m.end(),
                     [&](const std::string& s) { return s.find(what) != std::string::npos; });
}

TEST(Minimise, ShrinksToTheFailingCore) {
  struct Case {
    std::string name;
    Messages failing;
    std::function<bool(const Messages&)> still_fails;
    Messages minimal;
  };
  const std::vector<Case> cases = {
      {"one message holds BUG",
       {"PING\n", "hello", "xxBUGyy", "ECHO zz\n", "more"},
       [](const Messages& m) { return any_contains(m, "BUG"); },
       {"BUG"}},
      {"two messages needed, in order",
       {"a", "OPEN", "b", "c", "CLOSE", "d"},
       [](const Messages& m) {
         const auto open = std::find(m.begin(), m.end(), "OPEN");
         return open != m.end() && std::find(open, m.end(), "CLOSE") != m.end();
       },
       {"OPEN", "CLOSE"}},
      {"a length bug: bytes become A",
       {"PING\n", std::string(300, 'q') + "\n"},
       [](const Messages& m) {
         return std::any_of(m.begin(), m.end(),
                            [](const std::string& s) { return s.size() >= 100; });
       },
       {std::string(100, 'A')}},
      {"binary kept where it matters",
       {"abc", std::string("x\0y", 3)},
       [](const Messages& m) { return any_contains(m, std::string_view("\0", 1)); },
       {std::string("\0", 1)}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Minimised r = minimise(c.failing, c.still_fails, MinimiseBudget{.max_attempts = 10000});
    EXPECT_EQ(r.messages, c.minimal);
    EXPECT_TRUE(r.reduced);
    EXPECT_GT(r.attempts, 0U);
  }
}

TEST(Minimise, NeverTriesTheInputItselfAndCountsAttempts) {
  const Messages failing = {"one", "BUG", "three"};
  std::size_t calls = 0;
  const Minimised r = minimise(
      failing,
      [&](const Messages& m) {
        ++calls;
        EXPECT_NE(m, failing);
        return any_contains(m, "BUG");
      },
      MinimiseBudget{});
  EXPECT_EQ(r.attempts, calls);
  EXPECT_THAT(r.messages, ElementsAre("BUG"));
}

TEST(Minimise, RespectsMaxAttempts) {
  for (const std::size_t max : {0U, 1U, 5U, 37U, 500U}) {
    SCOPED_TRACE(max);
    std::size_t calls = 0;
    const Minimised r = minimise(
        Messages(50, std::string(64, 'x')),
        [&](const Messages&) {
          ++calls;
          return false;  // nothing smaller fails: every candidate is tried until the budget ends
        },
        MinimiseBudget{.max_attempts = max});
    EXPECT_EQ(calls, max);
    EXPECT_EQ(r.attempts, max);
  }
}

TEST(Minimise, StopsAtTheDeadline) {
  std::size_t calls = 0;
  const Minimised r = minimise(
      Messages(50, "xyz"),
      [&](const Messages&) {
        ++calls;
        return true;
      },
      MinimiseBudget{.max_attempts = 1000,
                     .deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1)});
  EXPECT_EQ(calls, 0U);
  EXPECT_FALSE(r.reduced);
  EXPECT_EQ(r.messages, Messages(50, "xyz"));
}

TEST(Minimise, KeepsTheInputWhenNothingSmallerFails) {
  const Minimised r = minimise(
      {"a", "b"}, [](const Messages&) { return false; }, MinimiseBudget{});
  EXPECT_THAT(r.messages, ElementsAre("a", "b"));
  EXPECT_FALSE(r.reduced);
}

// A flaky predicate (it fails only every other time) still gives a failing, smaller result.
TEST(Minimise, IsDeterministicAndToleratesFlakiness) {
  const auto run = [] {
    int n = 0;
    return minimise(
        {"PING\n", "xxBUGyy", "QUIT\n"},
        [&](const Messages& m) { return (++n % 2 == 0) && any_contains(m, "BUG"); },
        MinimiseBudget{});
  };
  const Minimised a = run();
  const Minimised b = run();
  EXPECT_EQ(a.messages, b.messages);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_TRUE(any_contains(a.messages, "BUG"));
  EXPECT_TRUE(a.reduced);
}

}  // namespace
}  // namespace sockspec::blackbox
