// The console reporter: one line per case as cases finish, details for failures, a summary.
#pragma once

#include <cstdio>
#include <memory>

#include "harness/report/reporter.hpp"

namespace sockspec::report {

struct ConsoleOptions {
  bool colour = false;   // ANSI colours on the verdict words and the summary; see console_colour()
  bool verbose = false;  // also the transcripts of cases that did not fail, and whole transcripts
  bool quiet = false;    // only failing cases (fail, xpass, non-strict, error) and the summary
};

// Whether output to `out` should be coloured: it is a terminal and NO_COLOR is unset or empty
// (https://no-color.org).
[[nodiscard]] bool console_colour(std::FILE* out);

// Writes to `out`, which the caller keeps open for the reporter's lifetime. Each case line reads
// "[ 3/50] FAIL  str/echo [reference-epoll, ipv6] (12 ms)", numbered in completion order; failing
// cases follow with indented detail lines (case_detail_lines, the last kTranscriptTail transcript
// entries); skip and xfail show their reason on the line. In stability mode each run of a case
// has its line, numbered among all runs and marked "run 2/5" after the name. run_end prints, for
// each flaky case, "FLAKY <name>: <reason>" and its indented flaky_lines() (even with `quiet`),
// then summary_line() and flushes; it fails only when `out` reports a write error.
[[nodiscard]] std::unique_ptr<Reporter> make_console_reporter(std::FILE* out,
                                                              ConsoleOptions options);

}  // namespace sockspec::report
