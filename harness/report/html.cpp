// The HTML report: the matrix and case details rendered server-side, the run's JSON embedded.
#include "harness/report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "harness/report/file_output.hpp"
#include "harness/report/json.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;

constexpr std::string_view kStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
.summary { font-size: 1.1em; font-weight: bold; }
dl.run { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
dl.run dt { color: #666; }
dl.run dd { margin: 0; }
table.matrix { border-collapse: collapse; margin: 1em 0; }
table.matrix th, table.matrix td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
table.matrix td { text-align: center; }
table.matrix a { color: inherit; text-decoration: none; display: block; }
.v-pass { background: #d4f4d4; }
.v-fail, .v-xpass, .v-error { background: #f8c8c8; }
.v-non-strict { background: #fbeeb0; }
.v-skip, .v-xfail { background: #d4eef4; }
.v-flaky { background: repeating-linear-gradient(45deg, #f8c8c8 0 6px, #d4f4d4 6px 12px);
  font-weight: bold; }
ol.runs { margin: 0; padding-left: 1.5em; }
td.none { color: #aaa; }
details.case { margin: .3em 0; border: 1px solid #ddd; padding: .2em .6em; }
details.case > summary { cursor: pointer; }
details.case dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
details.case dd { margin: 0; }
pre { background: #f6f6f6; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
)";

// Opens the <details> a matrix link points at; fills and wires the verdict filter.
// clang-format off
constexpr std::string_view kScript = R"page(//<![CDATA[
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sockspec-data").textContent);
  function openLinked() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openLinked);
  openLinked();
  var counts = {};
  data.cases.forEach(function (c) { counts[c.verdict] = (counts[c.verdict] || 0) + 1; });
  var select = document.getElementById("filter");
  Object.keys(counts).sort().forEach(function (v) {
    var option = document.createElement("option");
    option.value = v;
    option.textContent = v + " (" + counts[v] + ')';
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    var v = select.value;
    document.querySelectorAll("table.matrix tbody tr").forEach(function (row) {
      row.hidden = v !== "" && !row.querySelector("td.v-" + v);
    });
    document.querySelectorAll("details.case").forEach(function (d) {
      d.hidden = v !== "" && d.getAttribute("data-verdict") !== v;
    });
  });
  document.getElementById("filter-box").hidden = false;
})();
//]]>)page";
// clang-format on

std::string e(std::string_view text) {
  return html_escape(text);
}

// The run's JSON for a <script> element: no "<", ">" or "&" (so no "</script>" and no markup),
// which only occur inside JSON strings, where \u escapes mean the same characters.
std::string embedded_json(const engine::RunResult& run) {
  const std::string dumped =
      to_json(run).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size());
  for (char c : dumped) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void write_header(std::string& out, const engine::RunResult& run) {
  const engine::RunInfo& info = run.info;
  out += fmt::format("<h1>sockspec report</h1>\n<p class=\"summary\">{}</p>\n",
                     e(summary_line(run.counts, run.elapsed, run.interrupted, run.info)));
  out += "<dl class=\"run\">\n";
  auto item = [&](std::string_view name, std::string_view value) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>\n", name, e(value));
  };
  item("started", info.started_at);
  item("targets", fmt::format("{}", fmt::join(info.targets, ", ")));
  item("cases", fmt::format("{} planned, {} finished", info.cases, run.cases.size()));
  item("jobs", std::to_string(info.jobs));
  if (!info.shard.empty()) item("shard", info.shard);
  item("strict", info.strict ? "yes" : "no");
  if (info.stability()) item("stability", stability_text(info));
  out += "</dl>\n";
}

struct Column {
  std::string target;
  scenario::Family family;
};

void write_matrix(std::string& out, const engine::RunResult& run) {
  std::vector<std::string> targets = run.info.targets;
  std::set<std::string> ids;
  for (const engine::CaseResult& r : run.cases) {
    if (std::find(targets.begin(), targets.end(), r.target) == targets.end()) {
      targets.push_back(r.target);
    }
    ids.insert(r.scenario_id);
  }
  std::vector<Column> columns;
  for (const std::string& target : targets) {
    for (scenario::Family family : {scenario::Family::ipv4, scenario::Family::ipv6}) {
      const bool used = std::any_of(run.cases.begin(), run.cases.end(), [&](const auto& r) {
        return r.target == target && r.family == family;
      });
      if (used) columns.push_back(Column{target, family});
    }
  }
  out += "<table class=\"matrix\">\n<thead><tr><th>scenario</th><th>requirements</th>";
  for (const Column& c : columns) {
    out += fmt::format("<th>{}<br/>{}</th>", e(c.target), family_name(c.family));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const std::string& id : ids) {
    const auto first = std::find_if(run.cases.begin(), run.cases.end(),
                                    [&](const auto& r) { return r.scenario_id == id; });
    out += fmt::format("<tr><th scope=\"row\" title=\"{}\">{}</th><td>{}</td>", e(first->summary),
                       e(id), e(fmt::format("{}", fmt::join(first->requirements, ", "))));
    for (const Column& c : columns) {
      std::string cell;
      std::string cls = "none";
      for (std::size_t i = 0; i < run.cases.size(); ++i) {
        const engine::CaseResult& r = run.cases[i];
        if (r.scenario_id != id || r.target != c.target || r.family != c.family) continue;
        cls = fmt::format("v-{}", verdict_name(r.verdict));
        cell += fmt::format("<a href=\"#case-{}\" title=\"{}\">{}</a>", i, e(r.name()),
                            verdict_name(r.verdict));
      }
      out += fmt::format("<td class=\"{}\">{}</td>", cls, cell.empty() ? "-" : cell);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void write_case(std::string& out, const engine::CaseResult& r, std::size_t index) {
  const std::string_view verdict = verdict_name(r.verdict);
  out += fmt::format(
      "<details class=\"case v-{0}\" id=\"case-{1}\" data-verdict=\"{0}\">\n"
      "<summary><b>{0}</b> {2} ({3})</summary>\n<dl>\n",
      verdict, index, e(r.name()), format_ms(r.elapsed));
  auto item = [&](std::string_view name, std::string_view value, bool code = false) {
    if (value.empty()) return;
    out += code ? fmt::format("<dt>{}</dt><dd><code>{}</code></dd>\n", name, e(value))
                : fmt::format("<dt>{}</dt><dd>{}</dd>\n", name, e(value));
  };
  item("scenario", r.summary.empty() ? r.scenario_id : r.scenario_id + ": " + r.summary);
  item("file", r.file);
  item("requirements", fmt::format("{}", fmt::join(r.requirements, ", ")));
  item("checked through", r.form);
  item("reason", r.reason);
  if (r.failure) {
    const engine::Failure& f = *r.failure;
    item("failed at",
         fmt::format("{}:{}:{}: {}", f.where.file, f.where.line, f.where.column, f.step), true);
    item("expected", f.expected);
    item("observed", f.observed);
    item("detail", f.detail);
  }
  item("target", r.command, true);
  if (r.runs.size() > 1) {  // stability mode: every run's verdict and diagnostic
    out += "<dt>runs</dt><dd><ol class=\"runs\">\n";
    for (const engine::RunOutcome& run : r.runs) {
      std::string text;
      for (const std::string& line : run_lines(run)) text += (text.empty() ? "" : "\n") + line;
      out += fmt::format("<li class=\"v-{}\" value=\"{}\"><pre>{}</pre></li>\n",
                         verdict_name(run.verdict), run.run, e(text));
    }
    out += "</ol></dd>\n";
  }
  out += "</dl>\n";
  if (!r.transcript.empty()) {
    out += "<pre class=\"transcript\">";
    for (const engine::TranscriptEntry& entry : r.transcript) {
      out += e(transcript_line(entry)) + "\n";
    }
    out += "</pre>\n";
  }
  if (!r.stderr_tail.empty()) {
    out += fmt::format("<p>stderr of the target:</p>\n<pre class=\"stderr\">{}</pre>\n",
                       e(r.stderr_tail));
  }
  out += "</details>\n";
}

class HtmlReporter final : public Reporter {
 public:
  explicit HtmlReporter(std::string path) : path_(std::move(path)) {}
  void run_start(const engine::RunInfo& /*info*/) override {}
  void case_start(const engine::CaseResult& /*planned*/) override {}
  void case_end(const engine::CaseResult& /*result*/) override {}
  net::Status run_end(const engine::RunResult& run) override {
    return write_file_atomically(path_, html_page(run));
  }

 private:
  std::string path_;
};

}  // namespace

std::string html_page(const engine::RunResult& run) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>sockspec report</title>\n";
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);
  write_header(out, run);
  out +=
      "<p id=\"filter-box\" hidden=\"hidden\"><label>show <select id=\"filter\">"
      "<option value=\"\">all verdicts</option></select></label></p>\n";
  write_matrix(out, run);
  out += "<h2>cases</h2>\n<div class=\"cases\">\n";
  for (std::size_t i = 0; i < run.cases.size(); ++i) write_case(out, run.cases[i], i);
  out += "</div>\n";
  out += fmt::format("<script type=\"application/json\" id=\"sockspec-data\">{}</script>\n",
                     embedded_json(run));
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

std::unique_ptr<Reporter> make_html_reporter(std::string path) {
  return std::make_unique<HtmlReporter>(std::move(path));
}

}  // namespace sockspec::report
