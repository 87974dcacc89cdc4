// Tests of the shared text rules: byte display, escaping, durations, detail lines, summaries.
#include "harness/report/text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

struct EscapeCase {
  std::string_view input;
  std::string_view expected;
};

TEST(Text, CEscapeIsAsciiAndLossless) {
  const EscapeCase cases[] = {
      {"hello", "hello"},
      {"a\\b\"c", "a\\\\b\\\"c"},
      {std::string_view("\0\t\n\r", 4), "\\0\\t\\n\\r"},
      {"\x01\x7f\xff", "\\x01\\x7f\\xff"},
      {"\xc3\xa9", "\\xc3\\xa9"},  // UTF-8 too: the escaped form is pure ASCII
  };
  for (const EscapeCase& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(c_escape(c.input), c.expected);
  }
}

TEST(Text, DisplayBytesQuotesTextAndShowsBinaryAsHex) {
  EXPECT_EQ(display_bytes("GET /\r\n", 7), "\"GET /\\r\\n\"");
  EXPECT_EQ(display_bytes(std::string_view("\0\xff\x41", 3), 3), "hex(3): 00 ff 41");
  EXPECT_EQ(display_bytes("aaaa", 1048576), "\"aaaa\" ... (1048576 bytes total)");
  EXPECT_EQ(display_bytes("", 0), "\"\"");
}

TEST(Text, XmlEscapeHandlesMarkupControlsAndInvalidUtf8) {
  const EscapeCase cases[] = {
      {"<&>\"'", "&lt;&amp;&gt;&quot;&#39;"},
      {"a\tb\nc", "a\tb\nc"},
      {"a\rb", "a&#13;b"},
      {std::string_view("\0\x1b", 2), "\\x00\\x1b"},
      {"caf\xc3\xa9", "caf\xc3\xa9"},            // valid UTF-8 is kept
      {"\xc3(", "\\xc3("},                       // truncated sequence
      {"\xff\xfe", "\\xff\\xfe"},                // never valid
      {"\xed\xa0\x80", "\\xed\\xa0\\x80"},       // a surrogate
      {"\xc0\xaf", "\\xc0\\xaf"},                // overlong "/"
      {"\xef\xbf\xbf", "\\xef\\xbf\\xbf"},       // U+FFFF: not an XML character
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},  // U+1F600
  };
  for (const EscapeCase& c : cases) {
    SCOPED_TRACE(c_escape(c.input));
    EXPECT_EQ(xml_escape(c.input), c.expected);
    EXPECT_EQ(html_escape(c.input), c.expected);
  }
  EXPECT_EQ(xml_escape("a\tb\nc", true), "a&#9;b&#10;c");
}

TEST(Text, PrintableTextEscapesTerminalControls) {
  EXPECT_EQ(printable_text("red \x1b[31m\r\n"), "red \\x1b[31m\\r\\n");
  EXPECT_EQ(printable_text("caf\xc3\xa9 \xff"), "caf\xc3\xa9 \\xff");
  EXPECT_EQ(utf8_safe("a\x01\xff"), "a\x01\\xff");
}

TEST(Text, Durations) {
  EXPECT_EQ(format_ms(12ms), "12 ms");
  EXPECT_EQ(format_seconds(1234ms, 2), "1.23");
  EXPECT_EQ(format_seconds(5ms, 3), "0.005");
}

TEST(Text, TranscriptLines) {
  using Kind = engine::TranscriptEntry::Kind;
  EXPECT_EQ(transcript_line({1500us, Kind::sent, "c", "hi\n", 3}), "     1.500 ms c > \"hi\\n\"");
  EXPECT_EQ(transcript_line({2ms, Kind::received, "u", std::string("\0\xff", 2), 100}),
            "     2.000 ms u < hex(2): 00 ff ... (100 bytes total)");
  EXPECT_EQ(transcript_line({0us, Kind::event, "", "target \x1b exited", 0}),
            "     0.000 ms - * target \\x1b exited");
}

TEST(Text, CaseDetailLinesKeepTheTranscriptAndStderrTails) {
  const engine::RunResult run = testing::sample_run();
  const std::vector<std::string> lines = case_detail_lines(run.cases[1], 2);
  EXPECT_THAT(
      lines,
      ElementsAre("conformance/tcp/str/echo.yaml:12:5: expect: expected bytes equal to the 18 "
                  "sent; observed EOF after 3 bytes",
                  "the target exited: status 1",
                  "STR-1 (MUST): Echo returns exactly the bytes sent, in order, whatever the "
                  "segmentation.",
                  "SVC-1 (MUST): Echo (RFC 862): over TCP every byte received is sent back until "
                  "the client closes; over UDP each datagram is sent back.",
                  "transcript (last 2 of 5 entries):",
                  "       3.250 ms c > "
                  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" "
                  "... (1048576 bytes total)",
                  "      12.000 ms c * EOF",
                  "target: sockspec-server --model epoll --service echo --port 0",
                  "stderr: log 3 </script>", "stderr: log 4 <&>", "stderr: log 5\\x1b[31m",
                  "stderr: log 6", "stderr: log 7"));
  // Without a failure the reason explains the verdict.
  EXPECT_THAT(case_detail_lines(run.cases[5], 10),
              ElementsAre("the target did not start: exit status 3",
                          "target: sockspec-server --model epoll --service echo --port 0",
                          "stderr: bind [::1]:0: Address family not supported (EAFNOSUPPORT)"));
}

TEST(Text, SummaryLine) {
  engine::Counts counts;
  EXPECT_EQ(summary_line(counts, 0ms, false), "0 passed, 0 failed, 0 skipped in 0.00 s");
  counts.pass = 3;
  counts.fail = 1;
  counts.error = 2;
  EXPECT_EQ(summary_line(counts, 1234ms, true),
            "interrupted: 3 passed, 1 failed, 0 skipped, 2 errors in 1.23 s");
  const engine::RunResult run = testing::sample_run();
  EXPECT_EQ(summary_line(run.counts, run.elapsed, false),
            "1 passed, 1 failed, 1 skipped, 1 non-strict, 1 xfail, 1 xpass, 1 errors in 1.23 s");
}

TEST(Text, ShellQuoteLeavesSafeWordsAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("conformance/tcp/x-1.yaml"), "conformance/tcp/x-1.yaml");
  EXPECT_EQ(shell_quote("./srv --port {port}"), "'./srv --port {port}'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(Text, ReproduceCommandGivesTheCaseItsTargetAndFamilyAgain) {
  engine::RunResult run = testing::sample_run();
  engine::CaseResult c = run.cases[1];
  c.file = "my pack/x.yaml";
  c.scenario_id = "str/x";
  c.target = "srv";
  c.family = scenario::Family::ipv6;
  run.info.targets = {"other", "srv"};
  run.info.target_args = {"--target other", "--cmd './srv {port}' --ready tcp-probe"};
  run.info.data_root_args = "--data-root /data";
  run.info.strict = true;
  EXPECT_EQ(reproduce_command(run.info, c),
            "sockspec run 'my pack/x.yaml' --id str/x --cmd './srv {port}' --ready tcp-probe "
            "--family ipv6 --data-root /data --strict");
  run.info.target_args.clear();  // not known: the name stands in
  run.info.strict = false;
  run.info.data_root_args.clear();
  EXPECT_EQ(reproduce_command(run.info, c),
            "sockspec run 'my pack/x.yaml' --id str/x --target srv --family ipv6");
}

}  // namespace
}  // namespace sockspec::report
