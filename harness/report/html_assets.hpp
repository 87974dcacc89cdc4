// What the HTML report's page carries besides its data: the colour of each verdict, the style
// sheet and the script. Kept apart from html.cpp, which renders a run.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "harness/engine/result.hpp"

namespace sockspec::report {

// How a verdict looks on the page, and whether it is a problem: a verdict the problems summary
// lists and the "problems" filter shows (fail, non-strict, xpass, error, flaky).
struct VerdictLook {
  engine::Verdict verdict;
  std::string_view background;  // a CSS colour, distinct from every other verdict's
  std::string_view foreground;
  bool problem;
};

// Every verdict, once, in the order of engine::Verdict.
[[nodiscard]] std::span<const VerdictLook> verdict_looks();
[[nodiscard]] const VerdictLook& look_of(engine::Verdict verdict);

// The page's CSS: a rule `.v-<verdict name>` per verdict (flaky: striped red and green), and the
// layout of the header, problems summary, matrix and case blocks.
[[nodiscard]] std::string style_sheet();

// The page's script, in a CDATA section so the page stays well-formed XML. It reads only the
// DOM: it applies the verdict filter (#filter: "" all, "problems", or a verdict name; rows of
// table.matrix and details.case are hidden when they show none), reapplies it on change, opens
// the <details> a link points at (switching the filter to "all" when that block is hidden), and
// reveals #filter-box. Afterwards <html> carries data-filter="<the filter applied>".
[[nodiscard]] std::string_view page_script();

}  // namespace sockspec::report
