// The console reporter: one line per case as cases finish, details for failures, a live status
// line on a terminal (or a heartbeat line elsewhere), a recap of the problems and a summary.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>

#include "harness/report/reporter.hpp"

namespace sockspec::report {

struct ConsoleOptions {
  bool colour = false;   // ANSI colours on the verdict words and the summary (console_tty.hpp)
  bool verbose = false;  // also the transcripts of cases that did not fail, and whole transcripts
  bool quiet = false;    // only failing cases (fail, xpass, non-strict, error), recap and summary
  // A live status line below the case lines, redrawn in place (console_live(): a terminal).
  bool live = false;
  std::size_t width = 0;  // the live line's limit in columns; 0: the terminal's (terminal_width)
  // How often the live line is redrawn between events (at least 1 ms).
  std::chrono::milliseconds redraw{1000};
  // Without the live line: a heartbeat line when nothing was written for this long during the
  // run (at least 1 ms).
  std::chrono::milliseconds heartbeat{30000};
  // Called once, from whichever thread wrote, when the console's reader went away (EPIPE, as in
  // `sockspec run | head`): from then on nothing more is written, and run_end succeeds.
  std::function<void()> on_broken{};
};

// Writes to `out`, which the caller keeps open for the reporter's lifetime. Each case line reads
// "[ 3/50] FAIL  str/echo [reference-epoll, ipv6] (12 ms)", numbered in completion order; failing
// cases follow with indented detail lines (case_detail_lines, the last kTranscriptTail transcript
// entries); skip and xfail show their reason on the line. In stability mode each run of a case
// has its line, numbered among all runs and marked "run 2/5" after the name.
// While the run goes on (run_start to run_end), a thread of the reporter redraws the live line
// (Progress::live_line, after "\r" and erase-line, with case lines printed above it), or, when
// not live, prints Progress::heartbeat_line() after `heartbeat` without output.
// run_end erases the live line and prints, when some case did not pass cleanly, "Recap: N cases
// did not pass cleanly:" and each recap() entry ("FAIL <headline>", flaky detail and the
// reproduce command indented by two spaces) even with `quiet`; then summary_line(), and flushes.
// It fails only when `out` reports a write error other than EPIPE.
[[nodiscard]] std::unique_ptr<Reporter> make_console_reporter(std::FILE* out,
                                                              ConsoleOptions options);

}  // namespace sockspec::report
