// The HTML report: one self-contained page (no external assets) with a scenario x target matrix.
#pragma once

#include <memory>
#include <string>

#include "harness/report/reporter.hpp"

namespace sockspec::report {

// The page for `run`. Rendered on the server side, readable with JavaScript off, carrying no
// data beyond what it shows. In order: the header (the tool's version when known; the counts,
// each one that is not zero coloured by its verdict), the problems summary (<section
// id="problems">: every fail, non-strict, xpass, error and flaky case in plan order, each linking
// to its details with its diagnostic), the run info, the verdict filter (#filter: "problems" when
// there are any, else "all"; then each verdict that occurs with its count), a matrix (rows:
// scenarios sorted by id; columns: target x family) whose cells (class v-<verdict>, plus
// "problem") link to a <details id="case-N"> block per case (N = index in run.cases) with its
// failure (expected and observed as code), the requirements of a problem with their level and
// sentence, the command that reproduces it (not for pass and skip), the target's command,
// transcript and stderr. Each verdict has its own colour (html_assets.hpp). The script
// (page_script()) applies the filter and opens linked details. In stability mode (--repeat,
// --verify) each case's block lists its runs (<ol class="runs">) with their verdicts and
// diagnostics. The page is also well-formed XML.
[[nodiscard]] std::string html_page(const engine::RunResult& run);

// Writes html_page() to `path` at run_end (atomically; an error names the path).
[[nodiscard]] std::unique_ptr<Reporter> make_html_reporter(std::string path);

}  // namespace sockspec::report
