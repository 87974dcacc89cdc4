// The HTML report: one self-contained page (no external assets) with a scenario x target matrix.
#pragma once

#include <memory>
#include <string>

#include "harness/report/reporter.hpp"

namespace sockspec::report {

// The page for `run`. Rendered on the server side, readable with JavaScript off: the summary and
// run info, a matrix (rows: scenarios sorted by id; columns: target x family) whose cells link to
// a <details id="case-N"> block per case (N = index in run.cases) with its failure, transcript,
// command and stderr. to_json(run) is embedded in <script type="application/json"
// id="sockspec-data"> with < > & written as \u003c \u003e \u0026; a small script opens the
// linked details and filters by verdict. In stability mode (--repeat, --verify) a flaky case's
// cell and block have class v-flaky (striped red and green), the filter offers "flaky", and each
// case's block lists its runs (<ol class="runs">) with their verdicts and diagnostics. The page
// is also well-formed XML.
[[nodiscard]] std::string html_page(const engine::RunResult& run);

// Writes html_page() to `path` at run_end (atomically; an error names the path).
[[nodiscard]] std::unique_ptr<Reporter> make_html_reporter(std::string path);

}  // namespace sockspec::report
