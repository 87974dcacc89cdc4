// The console's closing recap: every case that did not pass cleanly, each in a few lines, so a
// long run's failures can be read in one place, before the summary.
#pragma once

#include <string>
#include <vector>

#include "harness/engine/result.hpp"

namespace sockspec::report {

// One case of the recap, unindented and printable.
struct RecapEntry {
  engine::Verdict verdict = engine::Verdict::fail;
  // "str/echo [reference-epoll, ipv6]: <diagnostic>": the case's name (id, target, family) and
  // its diagnostic on one line: failure_line(), else the reason; newlines and tabs as spaces, at
  // most kRecapLineMax characters, a longer one cut and ended with "...".
  std::string headline;
  // Flaky cases: flaky_lines() (each run's verdict and diagnostic). Else empty.
  std::vector<std::string> detail;
  // reproduce_command(); for a flaky case followed by "--repeat N" (the run's runs of each case).
  std::string reproduce;
};
inline constexpr std::size_t kRecapLineMax = 300;

// The run's fail, xpass, error, flaky and non-strict cases (non-strict also when it was not
// strict), in that order of verdicts and in plan order within one; empty when there is none.
[[nodiscard]] std::vector<RecapEntry> recap(const engine::RunResult& run);

}  // namespace sockspec::report
