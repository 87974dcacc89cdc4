// sockspec-client's command line as a user meets it: bad arguments exit 2 with a reason and a
// usage line, --help exits 0, stdin without end times out (CLI-3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "targets/client/tests/client_test_support.hpp"

namespace sockspec::client::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ClientArguments, BadArgumentsExit2WithAReasonAndAUsageLine) {
  const struct {
    std::vector<std::string> args;
    const char* reason;
  } cases[] = {
      {{}, "--connect is required"},
      {{"--connect", "localhost:7"}, "invalid address"},
      {{"--connect", "127.0.0.1:7", "--transport", "sctp"}, "--transport"},
      {{"--connect", "127.0.0.1:7", "--timeout", "5"}, "invalid duration '5'"},
      {{"--connect", "127.0.0.1:7", "--retries", "1"}, "only applies to --transport udp"},
      {{"--connect", "127.0.0.1:7", "--frobnicate"}, "--frobnicate"},
      {{"--connect", "127.0.0.1:7", "--lines", "--message", ""}, "--lines needs at least one"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    const RunResult r = run_client(c.args);
    EXPECT_EQ(r.status.code, kExitBadArguments) << describe(r);
    EXPECT_EQ(r.out, "");
    const auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 2u) << r.err;
    EXPECT_THAT(lines[0], StartsWith("sockspec-client: "));
    EXPECT_THAT(lines[0], HasSubstr(c.reason));
    EXPECT_THAT(lines[1], StartsWith("usage: sockspec-client --connect HOST:PORT"));
  }
}

TEST(ClientArguments, HelpExits0WithTheFlagsOnStdout) {
  const RunResult r = run_client({"--help"});
  EXPECT_EQ(r.status.code, kExitOk) << describe(r);
  EXPECT_THAT(r.out, HasSubstr("--connect"));
  EXPECT_THAT(r.out, HasSubstr("--retries"));
  EXPECT_EQ(r.err, "");
}

TEST(ClientArguments, StdinThatNeverEndsTimesOutInsteadOfHanging) {
  StartOptions stdin_open;
  stdin_open.stdin_data = "part of a message";
  stdin_open.keep_stdin_open = true;
  const RunResult r = run_client({"--connect", "127.0.0.1:9", "--timeout", "300ms"}, stdin_open,
                                 std::chrono::seconds(10));
  EXPECT_EQ(r.status.code, kExitTimeout) << describe(r);
  expect_one_reason_line(r, "read stdin: timed out");
  EXPECT_LT(r.elapsed, std::chrono::milliseconds(800));
}

}  // namespace
}  // namespace sockspec::client::testing
