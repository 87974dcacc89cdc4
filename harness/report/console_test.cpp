// Tests of the console reporter: golden output with colour off, colour codes, quiet and verbose,
// the recap, the live line, the heartbeat and a reader that went away.
#include "harness/report/console.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <thread>

#include "harness/report/test_support.hpp"
#include "targets/net/signal_pipe.hpp"

namespace sockspec::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

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
            "  STR-1 (MUST): Echo returns exactly the bytes sent, in order, whatever the "
            "segmentation.\n"
            "  SVC-1 (MUST): Echo (RFC 862): over TCP every byte received is sent back until the "
            "client closes; over UDP each datagram is sent back.\n"
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
  EXPECT_THAT(out, Not(HasSubstr("\n... ")));  // no heartbeat: no 30 s without output
  EXPECT_TRUE(out.ends_with(
      "\n1 passed, 1 failed, 1 skipped, 1 non-strict, 1 xfail, 1 xpass, 1 errors in 1.23 s\n"))
      << out;
}

TEST(Console, InterruptedSummary) {
  engine::RunResult run = testing::sample_run();
  run.interrupted = true;
  run.cases.clear();  // none of the problem cases ended: no recap
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
  EXPECT_THAT(out, Not(::testing::ContainsRegex(" run [0-9]+/")));
  EXPECT_THAT(out, Not(HasSubstr("flaky")));
}

TEST(Console, RecapListsEveryProblemCaseBeforeTheSummaryEvenQuiet) {
  for (const bool quiet : {false, true}) {
    const std::string out = console_output(ConsoleOptions{.quiet = quiet});
    const std::size_t recap = out.find("\nRecap: 4 cases did not pass cleanly:\n");
    ASSERT_NE(recap, std::string::npos) << out;
    EXPECT_EQ(out.substr(recap),
              "\nRecap: 4 cases did not pass cleanly:\n"
              "FAIL str/echo [reference-epoll, ipv6]: conformance/tcp/str/echo.yaml:12:5: expect: "
              "expected bytes equal to the 18 sent; observed EOF after 3 bytes\n"
              "  sockspec run conformance/tcp/str/echo.yaml --id str/echo --target "
              "reference-epoll --family ipv6\n"
              "XPASS str/half-close [broken-close, ipv4]: passed, but the profile expects it to "
              "fail: closes early\n"
              "  sockspec run conformance/tcp/str/half-close.yaml --id str/half-close --target "
              "broken-close --family ipv4\n"
              "ERROR str/echo [broken-close, ipv6]: the target did not start: exit status 3\n"
              "  sockspec run conformance/tcp/str/echo.yaml --id str/echo --target broken-close "
              "--family ipv6\n"
              "NON-STRICT str/half-close [reference-epoll, ipv4]: conformance/tcp/str/"
              "half-close.yaml:9:5: expect-eof: expected EOF within 1 s; observed no EOF after "
              "1 s\n"
              "  sockspec run conformance/tcp/str/half-close.yaml --id str/half-close --target "
              "reference-epoll --family ipv4\n"
              "1 passed, 1 failed, 1 skipped, 1 non-strict, 1 xfail, 1 xpass, 1 errors in "
              "1.23 s\n");
  }
}

// The live lines in `out`: what precedes each erase-line, back to the previous line or erase.
std::vector<std::string> live_lines(const std::string& out) {
  std::vector<std::string> lines;
  constexpr std::string_view kErase = "\r\x1b[K";
  for (std::size_t at = out.find(kErase); at != std::string::npos; at = out.find(kErase, at + 1)) {
    const std::size_t newline = out.rfind('\n', at);
    const std::size_t erase = at == 0 ? std::string::npos : out.rfind(kErase, at - 1);
    std::size_t from = newline == std::string::npos ? 0 : newline + 1;
    if (erase != std::string::npos && erase + kErase.size() > from) from = erase + kErase.size();
    lines.push_back(out.substr(from, at - from));
  }
  return lines;
}

TEST(Console, LiveLineIsRedrawnBelowTheCaseLinesWithinTheWidthAndErasedAtTheEnd) {
  ConsoleOptions options;
  options.live = true;
  options.width = 40;
  options.redraw = std::chrono::hours(1);  // no redraw but the events' (and the first)
  const std::string out = console_output(options);
  EXPECT_THAT(out, HasSubstr("\r\x1b[K[1/8] PASS  str/echo [reference-epoll, ipv4] (12 ms)\n"
                             "[1/8] ETA unknown"));
  EXPECT_THAT(out, HasSubstr("\r\x1b[K[1/8] ETA unknown | 1 running: str/echo\r"));  // cut
  EXPECT_THAT(out, HasSubstr("\n[2/8] ETA unknown | 1 failing\r\x1b[K"));
  EXPECT_THAT(out, HasSubstr("\r\x1b[K\nRecap: 4 cases"));
  EXPECT_TRUE(out.ends_with(" 1 errors in 1.23 s\n")) << out;
  const std::vector<std::string> lines = live_lines(out);
  EXPECT_GE(lines.size(), 15U);  // the 7 cases' starts and ends, and the end of the run
  for (const std::string& line : lines) {
    EXPECT_LT(line.size(), options.width) << line;
    EXPECT_TRUE(line.starts_with("[")) << line;
  }
}

TEST(Console, NoLiveLineWhenNotLive) {
  EXPECT_THAT(console_output(ConsoleOptions{}), Not(HasSubstr("\x1b[K")));
}

// Everything written to `file` so far, read beside the writer (pread: the FILE's position stays).
std::string written(std::FILE* file) {
  std::string text;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n =
        ::pread(::fileno(file), buffer.data(), buffer.size(), static_cast<off_t>(text.size()));
    if (n <= 0) return text;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(Console, QuietPrintsAHeartbeatWhileCasesRun) {
  const engine::RunResult run = testing::sample_run();
  testing::Capture capture;
  auto reporter =
      make_console_reporter(capture.file(), ConsoleOptions{.quiet = true, .heartbeat = 50ms});
  reporter->run_start(run.info);
  reporter->case_start(run.cases[0]);
  reporter->case_start(run.cases[1]);
  const std::string beat =
      "... 0/8 done, 2 running: str/echo[reference-epoll], str/echo[reference-epoll,v6], ETA "
      "unknown\n";
  // A hang guard, not a bound: the heartbeat comes every 50 ms.
  const auto until = std::chrono::steady_clock::now() + 20s;
  while (count(written(capture.file()), beat) < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
  }
  reporter->case_end(run.cases[0]);
  EXPECT_TRUE(reporter->run_end(run).ok());
  const std::string out = capture.text();
  EXPECT_GE(count(out, beat), 2U) << out;
  EXPECT_TRUE(out.starts_with(beat)) << out;
  EXPECT_TRUE(out.ends_with(" 1 errors in 1.23 s\n")) << out;  // none after the run
}

TEST(Console, AReaderThatWentAwayIsToldOnceAndIsNoError) {
  net::ignore_sigpipe();  // as `sockspec run` does: a write to the closed pipe is EPIPE
  std::array<int, 2> fds{};
  ASSERT_EQ(::pipe(fds.data()), 0);
  ::close(fds[0]);
  std::FILE* out = ::fdopen(fds[1], "w");
  ASSERT_NE(out, nullptr);
  int told = 0;
  const engine::RunResult run = testing::sample_run();
  {
    auto reporter = make_console_reporter(out, ConsoleOptions{.on_broken = [&told] { ++told; }});
    reporter->run_start(run.info);
    for (const engine::CaseResult& r : run.cases) {
      reporter->case_start(r);
      reporter->case_end(r);
    }
    EXPECT_TRUE(reporter->run_end(run).ok());
  }
  EXPECT_EQ(told, 1);
  std::fclose(out);
}

}  // namespace
}  // namespace sockspec::report
