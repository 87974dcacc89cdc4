// The HTML report's colours, style sheet and script (see html_assets.hpp).
#include "harness/report/html_assets.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

namespace sockspec::report {
namespace {

using engine::Verdict;

// Problems are warm (red, orange, magenta, yellow), the rest cool or neutral.
constexpr std::array<VerdictLook, 8> kLooks{{
    {Verdict::pass, "#c8efc8", "#14501e", false},
    {Verdict::fail, "#f4a8a8", "#6b0f0f", true},
    {Verdict::non_strict, "#fbe7a1", "#5e4a00", true},
    {Verdict::xfail, "#dcd3f5", "#3d2b7a", false},
    {Verdict::xpass, "#ffc58f", "#6a3300", true},
    {Verdict::skip, "#e6e6e6", "#555555", false},
    {Verdict::error, "#e7a6e0", "#5c0f55", true},
    {Verdict::flaky, "repeating-linear-gradient(45deg, #f4a8a8 0 6px, #c8efc8 6px 12px)", "#6b0f0f",
     true},
}};

constexpr std::string_view kLayout = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h1 .version { font-size: .6em; font-weight: normal; color: #666; margin-left: .5em; }
h2 { font-size: 1.15em; margin: 1em 0 .4em; }
.summary { font-size: 1.1em; font-weight: bold; }
.count { padding: 0 .3em; border-radius: 3px; }
section.problems { border: 2px solid #c0392b; border-radius: 4px; padding: .2em 1em .6em; }
section.problems.none { border-color: #2e7d32; }
section.problems ul { margin: 0; padding-left: 1.2em; }
section.problems li { margin: .3em 0; overflow-wrap: anywhere; }
section.problems code.diagnostic { display: block; font-size: .85em; color: #444; }
.badge { padding: 0 .35em; border-radius: 3px; font-weight: bold; }
dl.run { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
dl.run dt { color: #666; }
dl.run dd { margin: 0; }
table.matrix { border-collapse: collapse; margin: 1em 0; }
table.matrix th, table.matrix td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
table.matrix td { text-align: center; }
table.matrix a { color: inherit; text-decoration: none; display: block; }
td.none { color: #aaa; }
ol.runs { margin: 0; padding-left: 1.5em; }
ul.requirements { margin: 0; padding-left: 1.2em; }
details.case { margin: .3em 0; border: 1px solid #ddd; padding: .2em .6em; }
details.case.problem { border-left: 4px solid #c0392b; }
details.case > summary { cursor: pointer; }
details.case dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
details.case dd { margin: 0; overflow-wrap: anywhere; }
code.reproduce { display: block; user-select: all; background: #f6f6f6; padding: .3em .5em; }
pre { background: #f6f6f6; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
)";

// clang-format off
constexpr std::string_view kScript = R"page(//<![CDATA[
(function () {
  "use strict";
  var select = document.getElementById("filter");
  function apply() {
    var v = select.value;
    var cell = v === "problems" ? "td.problem" : "td.v-" + v;
    document.querySelectorAll("table.matrix tbody tr").forEach(function (row) {
      row.hidden = v !== "" && !row.querySelector(cell);
    });
    document.querySelectorAll("details.case").forEach(function (d) {
      d.hidden = v !== "" && (v === "problems" ? !d.classList.contains("problem")
                                                : d.getAttribute("data-verdict") !== v);
    });
    document.documentElement.setAttribute("data-filter", v === "" ? "all" : v);
  }
  function openLinked() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (!el || el.tagName !== "DETAILS") return;
    if (el.hidden) { select.value = ""; apply(); }
    el.open = true;
    el.scrollIntoView();
  }
  select.addEventListener("change", apply);
  window.addEventListener("hashchange", openLinked);
  apply();
  openLinked();
  document.getElementById("filter-box").hidden = false;
})();
//]]>)page";
// clang-format on

}  // namespace

std::span<const VerdictLook> verdict_looks() {
  return kLooks;
}

const VerdictLook& look_of(Verdict verdict) {
  for (const VerdictLook& look : kLooks) {
    if (look.verdict == verdict) return look;
  }
  throw std::logic_error("a verdict without a look");
}

std::string style_sheet() {
  std::string css(kLayout);
  for (const VerdictLook& look : kLooks) {
    css += fmt::format(".v-{} {{ background: {}; color: {}; }}\n",
                       engine::verdict_name(look.verdict), look.background, look.foreground);
  }
  return css;
}

std::string_view page_script() {
  return kScript;
}

}  // namespace sockspec::report
