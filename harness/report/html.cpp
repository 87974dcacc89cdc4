// The HTML report: the problems first, then the matrix and every case, rendered server-side.
#include "harness/report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "harness/report/file_output.hpp"
#include "harness/report/html_assets.hpp"
#include "harness/report/text.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;

std::string e(std::string_view text) {
  return html_escape(text);
}

// "v-fail problem", the classes of a verdict's cell, badge or block.
std::string classes_of(Verdict v) {
  return fmt::format("v-{}{}", engine::verdict_name(v), look_of(v).problem ? " problem" : "");
}

std::string badge(Verdict v) {
  return fmt::format("<b class=\"badge v-{0}\">{0}</b>", engine::verdict_name(v));
}

// What a case's verdict comes down to, on one line: its failure line, else its reason.
std::string diagnostic(const engine::CaseResult& r) {
  return r.failure ? engine::failure_line(*r.failure) : r.reason;
}

// The words summary_line() counts with, and their verdicts.
constexpr std::array<std::pair<std::string_view, Verdict>, 8> kCountWords{{
    {"passed", Verdict::pass},
    {"failed", Verdict::fail},
    {"skipped", Verdict::skip},
    {"non-strict", Verdict::non_strict},
    {"xfail", Verdict::xfail},
    {"xpass", Verdict::xpass},
    {"errors", Verdict::error},
    {"flaky", Verdict::flaky},
}};

// summary_line(), escaped, with each count that is not zero ("1 failed") in a span coloured by
// its verdict.
std::string coloured_summary(const engine::RunResult& run) {
  const std::string line = summary_line(run.counts, run.elapsed, run.interrupted, run.info);
  std::string out;
  std::size_t plain = 0;  // start of the text not yet written
  for (std::size_t i = 0; i < line.size(); ++i) {
    const bool starts_number =
        std::isdigit(static_cast<unsigned char>(line[i])) != 0 && (i == 0 || line[i - 1] == ' ');
    if (!starts_number) continue;
    std::size_t end = i;
    while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end])) != 0) ++end;
    for (const auto& [word, verdict] : kCountWords) {
      const std::string_view rest = std::string_view(line).substr(end);
      const bool counted = rest.size() > word.size() && rest[0] == ' ' &&
                           rest.substr(1, word.size()) == word &&
                           (rest.size() == word.size() + 1 || rest[word.size() + 1] == ',' ||
                            rest[word.size() + 1] == ' ');
      if (!counted || line.compare(i, end - i, "0") == 0) continue;
      const std::size_t after = end + 1 + word.size();
      out += e(line.substr(plain, i - plain));
      out += fmt::format("<span class=\"count v-{}\">{}</span>", engine::verdict_name(verdict),
                         e(line.substr(i, after - i)));
      plain = after;
      i = after - 1;
      break;
    }
  }
  return out + e(line.substr(plain));
}

void write_header(std::string& out, const engine::RunResult& run) {
  out += "<h1>sockspec report";
  if (!run.info.version.empty()) {
    out += fmt::format("<span class=\"version\">sockspec {}</span>", e(run.info.version));
  }
  out += fmt::format("</h1>\n<p class=\"summary\">{}</p>\n", coloured_summary(run));
}

void write_problems(std::string& out, const engine::RunResult& run) {
  std::size_t problems = 0;
  for (const engine::CaseResult& r : run.cases) {
    if (look_of(r.verdict).problem) ++problems;
  }
  if (problems == 0) {
    out += "<section class=\"problems none\" id=\"problems\"><h2>no problems</h2></section>\n";
    return;
  }
  out += fmt::format("<section class=\"problems\" id=\"problems\">\n<h2>{} problem{}</h2>\n<ul>\n",
                     problems, problems == 1 ? "" : "s");
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const engine::CaseResult& r = run.cases[i];
    if (!look_of(r.verdict).problem) continue;
    out += fmt::format(
        "<li><a href=\"#case-{}\">{} {}</a> <code class=\"diagnostic\">{}</code></li>\n", i,
        badge(r.verdict), e(r.name()), e(diagnostic(r)));
  }
  out += "</ul>\n</section>\n";
}

void write_run_info(std::string& out, const engine::RunResult& run) {
  const engine::RunInfo& info = run.info;
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

// The verdict filter: "problems" first and chosen when there are any, else "all"; then each
// verdict that occurs, with its count.
void write_filter(std::string& out, const engine::RunResult& run) {
  std::map<std::string_view, std::size_t> counts;
  std::size_t problems = 0;
  for (const engine::CaseResult& r : run.cases) {
    ++counts[engine::verdict_name(r.verdict)];
    if (look_of(r.verdict).problem) ++problems;
  }
  out += "<p id=\"filter-box\" hidden=\"hidden\"><label>show <select id=\"filter\">";
  if (problems > 0) {
    out += fmt::format("<option value=\"problems\" selected=\"selected\">problems ({})</option>",
                       problems);
  }
  out += fmt::format("<option value=\"\"{}>all ({})</option>",
                     problems > 0 ? "" : " selected=\"selected\"", run.cases.size());
  for (const auto& [verdict, n] : counts) {
    out += fmt::format("<option value=\"{0}\">{0} ({1})</option>", verdict, n);
  }
  out += "</select></label></p>\n";
}

struct Column {
  std::string target;
  scenario::Family family;
  auto operator<=>(const Column&) const = default;
};

void write_matrix(std::string& out, const engine::RunResult& run) {
  std::vector<std::string> targets = run.info.targets;
  // Per scenario id, per column, the indexes of its cases.
  std::map<std::string, std::map<Column, std::vector<std::size_t>>> cells;
  std::set<Column> used;
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const engine::CaseResult& r = run.cases[i];
    if (std::find(targets.begin(), targets.end(), r.target) == targets.end()) {
      targets.push_back(r.target);
    }
    cells[r.scenario_id][Column{r.target, r.family}].push_back(i);
    used.insert(Column{r.target, r.family});
  }
  std::vector<Column> columns;
  for (const std::string& target : targets) {
    for (scenario::Family family : {scenario::Family::ipv4, scenario::Family::ipv6}) {
      if (used.count(Column{target, family}) > 0) columns.push_back(Column{target, family});
    }
  }
  out += "<table class=\"matrix\">\n<thead><tr><th>scenario</th><th>requirements</th>";
  for (const Column& c : columns) {
    out += fmt::format("<th>{}<br/>{}</th>", e(c.target), family_name(c.family));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& [id, row] : cells) {
    const engine::CaseResult& first = run.cases[row.begin()->second.front()];
    out += fmt::format("<tr><th scope=\"row\" title=\"{}\">{}</th><td>{}</td>", e(first.summary),
                       e(id), e(fmt::format("{}", fmt::join(first.requirements, ", "))));
    for (const Column& c : columns) {
      const auto cell = row.find(c);
      if (cell == row.end()) {
        out += "<td class=\"none\">-</td>";
        continue;
      }
      std::string links;
      for (std::size_t i : cell->second) {
        const engine::CaseResult& r = run.cases[i];
        links += fmt::format("<a href=\"#case-{}\" title=\"{}\">{}</a>", i, e(r.name()),
                             engine::verdict_name(r.verdict));
      }
      out += fmt::format("<td class=\"{}\">{}</td>",
                         classes_of(run.cases[cell->second.back()].verdict), links);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

// A problem's requirements with their level and sentence: "STR-1 MUST: ...".
std::string requirement_list(const std::vector<std::string>& ids) {
  std::string out = "<ul class=\"requirements\">";
  for (const std::string& id : ids) {
    const scenario::RequirementInfo* info = scenario::find_requirement(id);
    out += fmt::format("<li><b>{}</b>", e(id));
    if (info != nullptr) {
      out += info->level == scenario::Level::must ? " MUST" : " SHOULD";
      if (!info->text.empty()) out += ": " + e(info->text);
    }
    out += "</li>";
  }
  return out + "</ul>";
}

void write_case(std::string& out, const engine::RunInfo& info, const engine::CaseResult& r,
                std::size_t index) {
  const bool problem = look_of(r.verdict).problem;
  out += fmt::format(
      "<details class=\"case{}\" id=\"case-{}\" data-verdict=\"{}\">\n"
      "<summary>{} {} ({})</summary>\n<dl>\n",
      problem ? " problem" : "", index, engine::verdict_name(r.verdict), badge(r.verdict),
      e(r.name()), format_ms(r.elapsed));
  auto item = [&](std::string_view name, std::string_view value, bool code = false) {
    if (value.empty()) return;
    out += code ? fmt::format("<dt>{}</dt><dd><code>{}</code></dd>\n", name, e(value))
                : fmt::format("<dt>{}</dt><dd>{}</dd>\n", name, e(value));
  };
  item("scenario", r.summary.empty() ? r.scenario_id : r.scenario_id + ": " + r.summary);
  item("file", r.file);
  if (problem && !r.requirements.empty()) {
    out += fmt::format("<dt>requirements</dt><dd>{}</dd>\n", requirement_list(r.requirements));
  } else {
    item("requirements", fmt::format("{}", fmt::join(r.requirements, ", ")));
  }
  item("checked through", r.form);
  // A failed case's reason is its failure line, shown below in parts.
  const bool reason_is_failure =
      r.failure && (r.verdict == Verdict::fail || r.verdict == Verdict::non_strict);
  if (!reason_is_failure) item("reason", r.reason);
  if (r.failure) {
    const engine::Failure& f = *r.failure;
    item("failed at",
         fmt::format("{}:{}:{}: {}", f.where.file, f.where.line, f.where.column, f.step), true);
    item("expected", f.expected, true);
    item("observed", f.observed, true);
    item("detail", f.detail);
  }
  if (r.verdict != Verdict::pass && r.verdict != Verdict::skip) {
    out += fmt::format("<dt>reproduce</dt><dd><code class=\"reproduce\">{}</code></dd>\n",
                       e(reproduce_command(info, r)));
  }
  item("target", r.command, true);
  if (r.runs.size() > 1) {  // stability mode: every run's verdict and diagnostic
    out += "<dt>runs</dt><dd><ol class=\"runs\">\n";
    for (const engine::RunOutcome& run : r.runs) {
      std::string text;
      for (const std::string& line : run_lines(run)) text += (text.empty() ? "" : "\n") + line;
      out += fmt::format("<li class=\"v-{}\" value=\"{}\"><pre>{}</pre></li>\n",
                         engine::verdict_name(run.verdict), run.run, e(text));
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
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", style_sheet());
  write_header(out, run);
  write_problems(out, run);
  write_run_info(out, run);
  write_filter(out, run);
  write_matrix(out, run);
  out += "<h2>cases</h2>\n<div class=\"cases\">\n";
  for (std::size_t i = 0; i < run.cases.size(); ++i) write_case(out, run.info, run.cases[i], i);
  out += "</div>\n";
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", page_script());
  return out;
}

std::unique_ptr<Reporter> make_html_reporter(std::string path) {
  return std::make_unique<HtmlReporter>(std::move(path));
}

}  // namespace sockspec::report
