// Tests of the READY contract: the exact lines, and writing them whole to stdout.
#include "targets/net/ready.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ostream>
#include <string>
#include <vector>

#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::net {

namespace {

using sockspec::testing::IsOk;

Endpoint endpoint(const char* text) {
  auto e = Endpoint::parse(text);
  EXPECT_THAT(e, IsOk());
  return e.ok() ? *e : Endpoint();
}

TEST(FormatReady, OneExactLinePerEntry) {
  struct Case {
    std::vector<ReadyEntry> entries;
    std::string expected;
  };
  const Case cases[] = {
      {{}, ""},
      {{{"tcp", endpoint("127.0.0.1:41234")}}, "READY tcp 127.0.0.1:41234\n"},
      {{{"udp", endpoint("[::1]:5353")}}, "READY udp [::1]:5353\n"},
      {{{"tcp", endpoint("0.0.0.0:7")}, {"udp", endpoint("0.0.0.0:7")}},
       "READY tcp 0.0.0.0:7\nREADY udp 0.0.0.0:7\n"},
      {{{"tcp", endpoint("[::]:65535")}, {"tcp", endpoint("127.0.0.1:1")}},
       "READY tcp [::]:65535\nREADY tcp 127.0.0.1:1\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(format_ready(c.entries), c.expected);
  }
}

TEST(AnnounceReady, WritesEverythingToStdoutThroughShortWrites) {
  const std::vector<ReadyEntry> entries = {{"tcp", endpoint("127.0.0.1:41234")},
                                           {"udp", endpoint("[::1]:41234")}};
  std::string written;
  int calls = 0;
  sys::Ops ops = sys::real_ops();
  ops.write = [&](int fd, const void* buf, size_t len) -> ssize_t {
    EXPECT_EQ(fd, STDOUT_FILENO);
    if (++calls % 3 == 0) {
      errno = EINTR;
      return -1;
    }
    const std::size_t n = std::min<std::size_t>(len, 5);
    written.append(static_cast<const char*>(buf), n);
    return static_cast<ssize_t>(n);
  };
  const sys::ScopedOps scoped(ops);
  const Status s = announce_ready(entries);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(written, "READY tcp 127.0.0.1:41234\nREADY udp [::1]:41234\n");
}

TEST(AnnounceReady, ReportsAWriteError) {
  sys::Ops ops = sys::real_ops();
  ops.write = [](int, const void*, size_t) -> ssize_t {
    errno = EPIPE;
    return -1;
  };
  const sys::ScopedOps scoped(ops);
  const Status s = announce_ready({{"tcp", endpoint("127.0.0.1:1")}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "write READY to stdout: Broken pipe (EPIPE)");
  EXPECT_EQ(s.error().code, EPIPE);
}

}  // namespace
}  // namespace sockspec::net
