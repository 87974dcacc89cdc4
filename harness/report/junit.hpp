// The JUnit XML report, for CI systems: one <testsuite> per target, one <testcase> per case.
#pragma once

#include <memory>
#include <string>

#include "harness/report/reporter.hpp"

namespace sockspec::report {

// The document for `run`: <testsuites> with a <testsuite name="<profile>"> per target (in
// RunInfo order), <testcase classname="<target>.<family>" name="<scenario id>" time="s">.
// fail, xpass, non-strict -> <failure type="fail|xpass|non-strict">, error -> <error>,
// skip and xfail -> <skipped message="reason"/>; flaky (stability mode) -> <failure
// type="flaky" message="verdicts differ ..."> whose text gives each verdict's first run with its
// diagnostic (flaky_lines), then the details of the odd run out, and counts among the failures;
// <system-out> holds the transcript and <system-err> the target's stderr tail. Text is
// xml_escape()d, so the XML 1.0 is well-formed whatever bytes the cases carry.
[[nodiscard]] std::string junit_xml(const engine::RunResult& run);

// Writes junit_xml() to `path` at run_end (atomically; an error names the path).
[[nodiscard]] std::unique_ptr<Reporter> make_junit_reporter(std::string path);

}  // namespace sockspec::report
