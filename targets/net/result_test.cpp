// Tests of Result, Status and errno_error: the message format "context: description (ENAME)".
#include "targets/net/result.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>

namespace sockspec::net {
namespace {

using ::testing::StrEq;

TEST(ErrnoError, FormatsContextDescriptionAndName) {
  struct Case {
    int code;
    const char* context;
    const char* expected;
  };
  const Case cases[] = {
      {EADDRINUSE, "bind 127.0.0.1:80", "bind 127.0.0.1:80: Address already in use (EADDRINUSE)"},
      {EACCES, "bind 127.0.0.1:80", "bind 127.0.0.1:80: Permission denied (EACCES)"},
      {ECONNREFUSED, "connect [::1]:7", "connect [::1]:7: Connection refused (ECONNREFUSED)"},
      {EPIPE, "send", "send: Broken pipe (EPIPE)"},
      {EMFILE, "accept", "accept: Too many open files (EMFILE)"},
      {EAGAIN, "recv", "recv: Resource temporarily unavailable (EAGAIN)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    const Error e = errno_error(c.code, c.context);
    EXPECT_THAT(e.message, StrEq(c.expected));
    EXPECT_EQ(e.code, c.code);
  }
}

TEST(ErrnoError, UnknownCodeStillFormats) {
  const Error e = errno_error(4095, "poll");
  EXPECT_EQ(e.message, "poll: Unknown error (?)");
  EXPECT_EQ(e.code, 4095);
}

TEST(ErrnoError, EmptyContextKeepsTheSeparator) {
  EXPECT_EQ(errno_error(EBADF, "").message, ": Bad file descriptor (EBADF)");
}

TEST(Result, HoldsAValue) {
  Result<int> r = 42;
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  *r = 7;
  EXPECT_EQ(r.value(), 7);
}

TEST(Result, HoldsAnError) {
  const Result<int> r = errno_error(ENOENT, "open x");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().message, "open x: No such file or directory (ENOENT)");
  EXPECT_EQ(r.error().code, ENOENT);
}

TEST(Result, AnErrorWithoutErrnoHasCodeZero) {
  const Result<std::string> r = Error{"no such thing"};
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "no such thing");
  EXPECT_EQ(r.error().code, 0);
}

TEST(Result, MovesOutAMoveOnlyValue) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, 5);
  const std::unique_ptr<int> taken = std::move(r).value();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, 5);
}

TEST(Result, ArrowReachesMembers) {
  const Result<std::string> r = std::string("abc");
  EXPECT_EQ(r->size(), 3u);
}

TEST(Status, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(static_cast<bool>(s));
}

TEST(Status, HoldsAnError) {
  const Status s = errno_error(ECONNRESET, "recv");
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(s.error().message, "recv: Connection reset by peer (ECONNRESET)");
  EXPECT_EQ(s.error().code, ECONNRESET);
}

}  // namespace
}  // namespace sockspec::net
