// The JUnit XML report: cases grouped by target, failures with their diagnostics and transcripts.
#include "harness/report/junit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/report/file_output.hpp"
#include "harness/report/requirement_note.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;

std::string attr(std::string_view text) {
  return xml_escape(text, true);
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

struct Suite {
  std::string name;
  std::vector<const engine::CaseResult*> cases;
  engine::Counts counts;
  std::chrono::milliseconds time{0};
};

// Suites in RunInfo order, then any target that only the cases name; cases in plan order.
std::vector<Suite> suites_of(const engine::RunResult& run) {
  std::vector<Suite> suites;
  auto suite_for = [&](const std::string& name) -> Suite& {
    auto it =
        std::find_if(suites.begin(), suites.end(), [&](const Suite& s) { return s.name == name; });
    if (it != suites.end()) return *it;
    suites.push_back(Suite{name, {}, {}, {}});
    return suites.back();
  };
  for (const std::string& target : run.info.targets) suite_for(target);
  for (const engine::CaseResult& r : run.cases) {
    Suite& s = suite_for(r.target);
    s.cases.push_back(&r);
    s.counts.add(r.verdict);
    s.time += r.elapsed;
  }
  return suites;
}

// The <properties> of the suite: for each case, "<case name> <key>" = value (junit-10.xsd allows
// <properties> in a <testsuite> only).
void write_properties(std::string& out, const engine::RunInfo& info,
                      const std::vector<const engine::CaseResult*>& cases) {
  if (cases.empty()) return;
  out += "    <properties>\n";
  for (const engine::CaseResult* r : cases) {
    std::string ids;
    for (const std::string& id : r->requirements) ids += (ids.empty() ? "" : " ") + id;
    const std::string name = r->name();
    for (const auto& [key, value] :
         {std::pair<std::string_view, std::string_view>{"requirements", ids},
          {"level", case_level(info, *r)},
          {"file", r->file},
          {"target", r->target},
          {"family", family_name(r->family)},
          {"verdict", verdict_name(r->verdict)}}) {
      out += fmt::format("      <property name=\"{} {}\" value=\"{}\"/>\n", attr(name), key,
                         attr(value));
    }
  }
  out += "    </properties>\n";
}

void write_case(std::string& out, const engine::CaseResult& r, bool strict) {
  out += fmt::format("    <testcase classname=\"{}.{}\" name=\"{}\" time=\"{}\"", attr(r.target),
                     family_name(r.family), attr(r.scenario_id), format_seconds(r.elapsed, 3));
  const std::string message = r.failure ? engine::failure_line(*r.failure) : r.reason;
  std::string body;
  switch (r.verdict) {
    case Verdict::pass:
      break;
    case Verdict::non_strict:
      if (!strict) {  // exit 0: not red either
        body = fmt::format("      <skipped message=\"{}\">{}</skipped>\n",
                           attr("non-strict: " + message),
                           xml_escape(join_lines(case_detail_lines(r, kTranscriptTail))));
        break;
      }
      [[fallthrough]];
    case Verdict::fail:
    case Verdict::xpass:
    case Verdict::error:
      body = fmt::format("      <{0} message=\"{1}\" type=\"{2}\">{3}</{0}>\n",
                         r.verdict == Verdict::error ? "error" : "failure", attr(message),
                         verdict_name(r.verdict),
                         xml_escape(join_lines(case_detail_lines(r, kTranscriptTail))));
      break;
    case Verdict::flaky:  // not green: a failure of its own type, with each verdict's diagnostic
      body = fmt::format("      <failure message=\"{}\" type=\"flaky\">{}{}</failure>\n",
                         attr(r.reason), xml_escape(join_lines(flaky_lines(r))),
                         xml_escape(join_lines(case_detail_lines(r, kTranscriptTail))));
      break;
    case Verdict::skip:
    case Verdict::xfail:
      body = fmt::format("      <skipped message=\"{}\"/>\n",
                         attr(r.verdict == Verdict::xfail ? "xfail: " + r.reason : r.reason));
      break;
  }
  if (!r.transcript.empty()) {
    std::string transcript;
    for (const engine::TranscriptEntry& e : r.transcript) transcript += transcript_line(e) + "\n";
    body += fmt::format("      <system-out>{}</system-out>\n", xml_escape(transcript));
  }
  if (!r.stderr_tail.empty()) {
    body += fmt::format("      <system-err>{}</system-err>\n", xml_escape(r.stderr_tail));
  }
  if (body.empty()) {
    out += "/>\n";
  } else {
    out += ">\n" + body + "    </testcase>\n";
  }
}

// The JUnit "failures" count: every verdict that is reported as a <failure>.
std::uint32_t failures(const engine::Counts& c, bool strict) {
  return c.fail + c.xpass + c.flaky + (strict ? c.non_strict : 0);
}

// The JUnit "skipped" count: every verdict that is reported as <skipped>.
std::uint32_t skipped(const engine::Counts& c, bool strict) {
  return c.skip + c.xfail + (strict ? 0 : c.non_strict);
}

class JunitReporter final : public Reporter {
 public:
  explicit JunitReporter(std::string path) : path_(std::move(path)) {}
  void run_start(const engine::RunInfo& /*info*/) override {}
  void case_start(const engine::CaseResult& /*planned*/) override {}
  void case_end(const engine::CaseResult& /*result*/) override {}
  net::Status run_end(const engine::RunResult& run) override {
    return write_file_atomically(path_, junit_xml(run));
  }

 private:
  std::string path_;
};

}  // namespace

std::string junit_xml(const engine::RunResult& run) {
  const engine::Counts& c = run.counts;
  const bool strict = run.info.strict;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"sockspec\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n",
      c.total(), failures(c, strict), c.error, format_seconds(run.elapsed, 3));
  for (const Suite& s : suites_of(run)) {
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "time=\"{}\"",
        attr(s.name), s.counts.total(), failures(s.counts, strict), s.counts.error,
        skipped(s.counts, strict), format_seconds(s.time, 3));
    if (!run.info.started_at.empty()) {
      out += fmt::format(" timestamp=\"{}\"", attr(run.info.started_at));
    }
    out += ">\n";
    write_properties(out, run.info, s.cases);
    for (const engine::CaseResult* r : s.cases) write_case(out, *r, strict);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::unique_ptr<Reporter> make_junit_reporter(std::string path) {
  return std::make_unique<JunitReporter>(std::move(path));
}

}  // namespace sockspec::report
