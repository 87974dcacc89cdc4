// Tests of the console reporter: golden output with colour off, colour codes, quiet and verbose.
#include "harness/report/console.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs every case of the sample run through a console reporter and returns what it printed.
std::string console_output(ConsoleOptions options) {
  const engine::RunResult run = testing::sample_run();
  testing::Capture capture;
  auto reporter = make_console_reporter(capture.file(), options);
  reporter->run_start(run.info);
  for (const engine::CaseResult& r : run.cases) {
    reporter->case_start(r);
    reporter->case_end(r);
  }
  EXPECT_TRUE(reporter->run_end(run).ok());
  return capture.text();
}

TEST(Console, FailingCaseGolden) {
  const engine::RunResult run = testing::sample_run();
  testing::Capture capture;
  auto reporter = make_console_reporter(capture.file(), ConsoleOptions{});
  reporter->run_start(run.info);
  reporter->case_end(run.cases[1]);
  const std::string a64(64, 'a');
  EXPECT_EQ(capture.text(),
            "sockspec: 8 cases on reference-epoll, broken-close (-j 2)\n"
            "[1/8] FAIL  str/echo [reference-epoll, ipv6] (12 ms)\n"
            "  conformance/tcp/str/echo.yaml:12:5: expect: expected bytes equal to the 18 sent; "
            "observed EOF after 3 bytes\n"
            "  the target exited: status 1\n"
            "  transcript:\n"
            "         0.250 ms c * connected to [::1]:41234\n"
            "         0.300 ms c > \"\\0\\xff\\xc3(</script><&>\\\"'\"\n"
            "         2.000 ms c < hex(3): 61 62 c3\n"
            "         3.250 ms c > \"" +
                a64 +
                "\" ... (1048576 bytes total)\n"
                "        12.000 ms c * EOF\n"
                "  target: sockspec-server --model epoll --service echo --port 0\n"
                "  stderr: log 3 </script>\n"
                "  stderr: log 4 <&>\n"
                "  stderr: log 5\\x1b[31m\n"
                "  stderr: log 6\n"
                "  stderr: log 7\n");
}

TEST(Console, EveryVerdictLineAndTheSummary) {
  const std::string out = console_output(ConsoleOptions{});
  EXPECT_THAT(out, HasSubstr("\n[1/8] PASS  str/echo [reference-epoll, ipv4] (12 ms)\n"));
  EXPECT_THAT(out, HasSubstr("\n[3/8] SKIP  udp/echo [reference-epoll, ipv4]: the target lacks "
                             "capability udp\n"));
  EXPECT_THAT(out, HasSubstr("\n[4/8] XFAIL str/echo [broken-close, ipv4] (12 ms): closes before "
                             "echoing (CON-1)\n"));
  EXPECT_THAT(out, HasSubstr("\n[5/8] XPASS str/half-close [broken-close, ipv4] (12 ms)\n"
                             "  passed, but the profile expects it to fail: closes early\n"));
  EXPECT_THAT(out, HasSubstr("\n[6/8] ERROR str/echo [broken-close, ipv6] (12 ms)\n"
                             "  the target did not start: exit status 3\n"));
  EXPECT_THAT(out, HasSubstr("\n[7/8] NON-STRICT str/half-close [reference-epoll, ipv4] (12 ms)\n"
                             "  conformance/tcp/str/half-close.yaml:9:5: expect-eof: "));
  EXPECT_THAT(out, Not(HasSubstr("\x1b[")));
  EXPECT_TRUE(out.ends_with(
      "\n1 passed, 1 failed, 1 skipped, 1 non-strict, 1 xfail, 1 xpass, 1 errors in 1.23 s\n"))
      << out;
}

TEST(Console, InterruptedSummary) {
  engine::RunResult run = testing::sample_run();
  run.interrupted = true;
  run.counts = {};
  run.counts.pass = 2;
  testing::Capture capture;
  auto reporter = make_console_reporter(capture.file(), ConsoleOptions{.quiet = true});
  EXPECT_TRUE(reporter->run_end(run).ok());
  EXPECT_EQ(capture.text(), "interrupted: 2 passed, 0 failed, 0 skipped in 1.23 s\n");
}

TEST(Console, ColourWrapsVerdictWordsInAnsiCodes) {
  const std::string out = console_output(ConsoleOptions{.colour = true});
  EXPECT_THAT(out, HasSubstr("\x1b[32mPASS\x1b[0m  str/echo"));
  EXPECT_THAT(out, HasSubstr("\x1b[31mFAIL\x1b[0m  str/echo"));
  EXPECT_THAT(out, HasSubstr("\x1b[33mNON-STRICT\x1b[0m str/half-close"));
  EXPECT_THAT(out, HasSubstr("\x1b[36mSKIP\x1b[0m  udp/echo"));
  EXPECT_THAT(out, HasSubstr("\x1b[31m1 passed, 1 failed"));
  // Escape codes from the target's stderr are never passed through.
  EXPECT_THAT(out, HasSubstr("log 5\\x1b[31m"));
}

TEST(Console, QuietPrintsOnlyFailuresAndTheSummary) {
  const std::string out = console_output(ConsoleOptions{.quiet = true});
  EXPECT_THAT(out, Not(HasSubstr("sockspec: 8 cases")));
  EXPECT_THAT(out, Not(HasSubstr("] PASS ")));
  EXPECT_THAT(out, Not(HasSubstr("SKIP")));
  EXPECT_THAT(out, Not(HasSubstr("XFAIL")));
  EXPECT_THAT(out, HasSubstr("[2/8] FAIL  "));
  EXPECT_THAT(out, HasSubstr("[5/8] XPASS "));
  EXPECT_THAT(out, HasSubstr("[6/8] ERROR "));
  EXPECT_THAT(out, HasSubstr("[7/8] NON-STRICT "));
  EXPECT_THAT(out, HasSubstr("1 errors in 1.23 s\n"));
}

TEST(Console, VerbosePrintsTheTranscriptOfPasses) {
  EXPECT_THAT(console_output(ConsoleOptions{}), Not(HasSubstr("\"hello\\r\\n\"")));
  EXPECT_THAT(console_output(ConsoleOptions{.verbose = true}),
              HasSubstr("[1/8] PASS  str/echo [reference-epoll, ipv4] (12 ms)\n"
                        "  transcript:\n"
                        "         0.100 ms c > \"hello\\r\\n\"\n"
                        "         1.500 ms c < \"hello\\r\\n\"\n"
                        "[2/8] FAIL"));
}

TEST(Console, NoColourWhenNotATerminal) {
  testing::Capture capture;  // not a terminal
  EXPECT_FALSE(console_colour(capture.file()));
}

TEST(Console, StabilityModeNumbersRunsAndExplainsEachFlakyCaseEvenQuiet) {
  const engine::RunResult run = testing::sample_stability_run();
  for (const bool quiet : {false, true}) {
    testing::Capture capture;
    ConsoleOptions options;
    options.quiet = quiet;
    auto reporter = make_console_reporter(capture.file(), options);
    reporter->run_start(run.info);
    engine::CaseResult second_run = run.cases[1];
    second_run.runs.clear();
    second_run.run = 2;
    reporter->case_end(second_run);
    EXPECT_TRUE(reporter->run_end(run).ok());
    const std::string out = capture.text();
    if (!quiet) {
      EXPECT_THAT(out, HasSubstr("(-j 2, 3 runs of each case, in rounds (--verify): 6 runs)\n"));
      EXPECT_THAT(out,
                  HasSubstr("[1/6] PASS  cli/udp-echo [reference-client, ipv4] run 2/3 (12 ms)"));
    }
    EXPECT_THAT(out, HasSubstr("FLAKY cli/udp-sequential-runs [reference-client, ipv6]: verdicts "
                               "differ over 3 runs: pass in runs 1, 3; fail in run 2\n"
                               "  run 1: pass\n"
                               "  run 2: fail: conformance/client/udp/cli-6-sequential-runs.yaml:"
                               "14:11: expect-client: expected stdout: \"ok 3\" <&>; observed "
                               "stdout: nothing\n"
                               "    the client exited with code 0\n"));
    EXPECT_THAT(out, HasSubstr("1 passed, 0 failed, 0 skipped, 1 flaky in 1.23 s (3 runs of each "
                               "case)\n"));
  }
}

TEST(Console, OutsideStabilityModeNoRunNumbersNorFlakyCount) {
  const std::string out = console_output(ConsoleOptions{});
  EXPECT_THAT(out, Not(HasSubstr(" run ")));
  EXPECT_THAT(out, Not(HasSubstr("flaky")));
}

}  // namespace
}  // namespace sockspec::report
