// The failure line every report and a case's reason share, defined once in result.cpp.
#include "harness/engine/result.hpp"

#include <gtest/gtest.h>

namespace sockspec::engine {
namespace {

Failure eof_failure() {
  return Failure{scenario::SourceLocation{"conformance/tcp/str/echo.yaml", 12, 5}, "expect",
                 "bytes equal to the 18 sent", "EOF after 3 bytes", "killed by SIGSEGV"};
}

TEST(FailureLine, SaysWhereWhichStepWhatWasExpectedAndWhatWasSeen) {
  EXPECT_EQ(failure_line(eof_failure()),
            "conformance/tcp/str/echo.yaml:12:5: expect: expected bytes equal to the 18 sent; "
            "observed EOF after 3 bytes");
}

TEST(FailureLine, TheShortFormLeavesOutTheExpectationAndKeepsThePlace) {
  EXPECT_EQ(failure_line_observed(eof_failure()),
            "conformance/tcp/str/echo.yaml:12:5: expect: observed EOF after 3 bytes");
}

}  // namespace
}  // namespace sockspec::engine
