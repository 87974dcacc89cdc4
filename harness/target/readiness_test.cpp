// Tests of the READY line parser (the process-starting readiness tests are in tests/).
#include "harness/target/readiness.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::HasSubstr;

TEST(ParseReadyLine, AcceptsTheContract) {
  net::Result<BoundSocket> b = parse_ready_line("READY tcp 127.0.0.1:41234");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->transport, scenario::Transport::tcp);
  EXPECT_EQ(b->endpoint.to_string(), "127.0.0.1:41234");
  b = parse_ready_line("READY udp [::1]:53");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->transport, scenario::Transport::udp);
  EXPECT_EQ(b->endpoint.to_string(), "[::1]:53");
}

TEST(ParseReadyLine, RejectsAnythingElseQuotingTheLine) {
  for (const std::string line :
       {"READY tcp localhost:80", "READY sctp 127.0.0.1:1", "READY tcp", "READY  tcp 127.0.0.1:1",
        "READY tcp 127.0.0.1:1 extra", "READY tcp 127.0.0.1:1\r", "READY tcp ::1:80"}) {
    SCOPED_TRACE(line);
    EXPECT_THAT(parse_ready_line(line),
                HasError(HasSubstr(fmt::format("malformed READY line '{}': expected 'READY "
                                               "tcp|udp ADDRESS:PORT'",
                                               line))));
  }
}

TEST(LoopbackHost, PerFamily) {
  EXPECT_EQ(loopback_host(scenario::Family::ipv4), "127.0.0.1");
  EXPECT_EQ(loopback_host(scenario::Family::ipv6), "::1");
}

}  // namespace
}  // namespace sockspec::target
