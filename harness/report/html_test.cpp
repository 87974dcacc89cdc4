// Tests of the HTML report: problems first, colours, the matrix, the escaping of data, and
// well-formedness.
#include "harness/report/html.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "harness/report/html_assets.hpp"
#include "harness/report/test_support.hpp"
#include "harness/report/text.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::report {
namespace {

using testing::occurrences;

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Html, MatrixHasOneLinkedCellPerCase) {
  const engine::RunResult run = testing::sample_run();
  const std::string page = html_page(run);
  const std::size_t table = page.find("<table class=\"matrix\">");
  const std::string matrix = page.substr(table, page.find("</table>") - table);
  EXPECT_EQ(occurrences(matrix, "<a href=\"#case-"), run.cases.size());
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(occurrences(matrix, "href=\"#case-" + std::to_string(i) + "\""), 1U);
    EXPECT_EQ(occurrences(page, "id=\"case-" + std::to_string(i) + "\""), 1U);
  }
  EXPECT_THAT(page, HasSubstr("<th>reference-epoll<br/>ipv4</th><th>reference-epoll<br/>ipv6</th>"
                              "<th>broken-close<br/>ipv4</th><th>broken-close<br/>ipv6</th>"));
  // Rows sorted by scenario id; a cell without a case is marked as such.
  EXPECT_THAT(page, HasSubstr("\">str/echo</th><td>STR-1, SVC-1</td>"
                              "<td class=\"v-pass\"><a href=\"#case-0\""));
  EXPECT_THAT(page, HasSubstr("<td class=\"v-error problem\"><a href=\"#case-5\" "
                              "title=\"str/echo [broken-close, ipv6]\">error</a></td></tr>"));
  EXPECT_LT(page.find(">str/echo</th>"), page.find(">str/half-close</th>"));
  EXPECT_LT(page.find(">str/half-close</th>"), page.find(">udp/echo</th>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"none\">-</td>"));
}

TEST(Html, DataIsEscapedEverywhere) {
  const engine::RunResult run = testing::sample_run();
  const std::string page = html_page(run);
  EXPECT_THAT(page, Not(HasSubstr("<&>")));
  EXPECT_THAT(page, Not(HasSubstr("log 3 </script>")));
  EXPECT_THAT(page, Not(HasSubstr("\x1b")));
  EXPECT_THAT(page, HasSubstr("log 3 &lt;/script&gt;"));
  // The page has exactly its own script, and no copy of the run's data: the counts it needs
  // are counted on the server side.
  EXPECT_EQ(occurrences(page, "</script>"), 1U);
  EXPECT_THAT(page, Not(HasSubstr("application/json")));
}

// clang-format once rewrote the script inside its raw string ("v != = ..."); the script is kept
// out of formatting, and this pins a line of it.
TEST(Html, ScriptIsEmbeddedVerbatim) {
  const std::string page = html_page(testing::sample_run());
  EXPECT_THAT(page, HasSubstr("<script>//<![CDATA[\n(function () {\n"));
  EXPECT_THAT(page, HasSubstr("      row.hidden = v !== \"\" && !row.querySelector(cell);\n"));
  EXPECT_THAT(page, HasSubstr("//]]></script>\n</body>\n</html>\n"));
}

TEST(Html, PageIsWellFormed) {
  if (!testing::have_xmllint()) GTEST_SKIP() << "xmllint missing: ci/setup installs libxml2-utils";
  testing::TempDir dir;
  const std::string path = (dir.path() / "report.html").string();
  const net::Status status = make_html_reporter(path)->run_end(testing::sample_run());
  ASSERT_TRUE(status.ok()) << status.error().message;
  // As XML: every element closed, every entity valid.
  const testing::CommandOutput xml = testing::run_command("xmllint --noout '" + path + "'");
  EXPECT_EQ(xml.status, 0) << xml.output;
  EXPECT_EQ(xml.output, "");
  // As HTML: libxml2's parser knows HTML 4 only, so it names the HTML5 elements as invalid; any
  // other complaint is a real one.
  const testing::CommandOutput html =
      testing::run_command("xmllint --html --noout '" + path +
                           "' 2>&1 | grep 'parser error' | "
                           "grep -v -E 'Tag (details|summary|section) invalid' || true");
  EXPECT_EQ(html.output, "");
}

TEST(Html, ProblemsComeFirstEachLinkedWithItsDiagnostic) {
  const engine::RunResult run = testing::sample_run();
  const std::string page = html_page(run);
  const std::size_t section = page.find("<section class=\"problems\" id=\"problems\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(page.find("<p class=\"summary\">"), section);
  for (std::string_view later : {"<dl class=\"run\">", "id=\"filter-box\"", "<table", "<details"}) {
    EXPECT_LT(section, page.find(later)) << later;
  }
  // fail, xpass, error and non-strict, in plan order; not the pass, skip and xfail.
  const std::string listed = page.substr(section, page.find("</section>") - section);
  EXPECT_THAT(listed, HasSubstr("<h2>4 problems</h2>"));
  EXPECT_EQ(occurrences(listed, "<li>"), 4U);
  EXPECT_THAT(
      listed,
      HasSubstr("<li><a href=\"#case-1\"><b class=\"badge v-fail\">fail</b> str/echo "
                "[reference-epoll, ipv6]</a> <code "
                "class=\"diagnostic\">conformance/tcp/str/echo.yaml:12:5: expect: "
                "expected bytes equal to the 18 sent; observed EOF after 3 bytes</code></li>"));
  EXPECT_LT(listed.find("#case-1\""), listed.find("#case-4\""));
  EXPECT_LT(listed.find("#case-4\""), listed.find("#case-5\""));
  EXPECT_LT(listed.find("#case-5\""), listed.find("#case-6\""));
  EXPECT_THAT(listed, HasSubstr("<b class=\"badge v-error\">error</b> str/echo [broken-close, "
                                "ipv6]</a> <code class=\"diagnostic\">the target did not start: "
                                "exit status 3</code></li>"));
  for (std::string_view absent : {"#case-0\"", "#case-2\"", "#case-3\""}) {
    EXPECT_THAT(listed, Not(HasSubstr(absent)));
  }
}

TEST(Html, FilterDefaultsToProblemsWhenThereAreAnyElseToAll) {
  const std::string page = html_page(testing::sample_run());
  EXPECT_THAT(page, HasSubstr("<select id=\"filter\"><option value=\"problems\" "
                              "selected=\"selected\">problems (4)</option><option value=\"\">all "
                              "(7)</option><option value=\"error\">error (1)</option>"));
  engine::RunResult fine = testing::sample_run();
  std::erase_if(fine.cases, [](const engine::CaseResult& r) { return look_of(r.verdict).problem; });
  fine.counts = {};
  for (const engine::CaseResult& r : fine.cases) fine.counts.add(r.verdict);
  const std::string calm = html_page(fine);
  EXPECT_THAT(calm, HasSubstr("<select id=\"filter\"><option value=\"\" selected=\"selected\">all "
                              "(3)</option><option value=\"pass\">pass (1)</option>"));
  EXPECT_THAT(calm, Not(HasSubstr("value=\"problems\"")));
  EXPECT_THAT(calm, HasSubstr("<section class=\"problems none\" id=\"problems\"><h2>no "
                              "problems</h2></section>"));
}

TEST(Html, HeaderCountsAreTheSummaryLineColouredByVerdict) {
  const engine::RunResult run = testing::sample_run();
  const std::string page = html_page(run);
  EXPECT_THAT(page, HasSubstr("<p class=\"summary\"><span class=\"count v-pass\">1 passed</span>, "
                              "<span class=\"count v-fail\">1 failed</span>, "
                              "<span class=\"count v-skip\">1 skipped</span>, "
                              "<span class=\"count v-non-strict\">1 non-strict</span>, "
                              "<span class=\"count v-xfail\">1 xfail</span>, "
                              "<span class=\"count v-xpass\">1 xpass</span>, "
                              "<span class=\"count v-error\">1 errors</span> in 1.23 s</p>"));
  // A zero count stays plain; the interruption and stability texts come through.
  engine::RunResult quiet = testing::sample_stability_run();
  quiet.interrupted = true;
  quiet.counts = {};
  quiet.counts.add(engine::Verdict::pass);
  EXPECT_THAT(html_page(quiet),
              HasSubstr("<p class=\"summary\">interrupted: <span class=\"count v-pass\">1 "
                        "passed</span>, 0 failed, 0 skipped, 0 flaky in 1.23 s (3 runs of each "
                        "case)</p>"));
}

TEST(Html, EveryVerdictHasAColourOfItsOwn) {
  std::set<engine::Verdict> verdicts;
  std::set<std::string_view> backgrounds;
  const std::string css = style_sheet();
  for (const VerdictLook& look : verdict_looks()) {
    SCOPED_TRACE(engine::verdict_name(look.verdict));
    verdicts.insert(look.verdict);
    backgrounds.insert(look.background);
    EXPECT_THAT(css, HasSubstr(fmt::format(".v-{} {{ background: {}; color: {}; }}",
                                           engine::verdict_name(look.verdict), look.background,
                                           look.foreground)));
  }
  EXPECT_EQ(verdicts.size(), 8U);  // pass .. flaky, each once
  EXPECT_EQ(backgrounds.size(), 8U);
  for (engine::Verdict v :
       {engine::Verdict::fail, engine::Verdict::non_strict, engine::Verdict::xpass,
        engine::Verdict::error, engine::Verdict::flaky}) {
    EXPECT_TRUE(look_of(v).problem);
  }
  for (engine::Verdict v : {engine::Verdict::pass, engine::Verdict::xfail, engine::Verdict::skip}) {
    EXPECT_FALSE(look_of(v).problem);
  }
}

TEST(Html, AProblemShowsItsRequirementsAndHowToReproduceIt) {
  engine::RunResult run = testing::sample_run();
  run.info.version = "1.2.3";
  run.info.target_args = {"--target reference-epoll", "--target broken-close"};
  const std::string page = html_page(run);
  EXPECT_THAT(page, HasSubstr("<h1>sockspec report<span class=\"version\">sockspec "
                              "1.2.3</span></h1>"));
  const engine::CaseResult& fail = run.cases[1];
  const std::string block = page.substr(page.find("id=\"case-1\""));
  const scenario::RequirementInfo* str1 = scenario::find_requirement("STR-1");
  ASSERT_NE(str1, nullptr);
  const std::string text = str1->text.empty() ? "" : ": " + html_escape(str1->text);
  EXPECT_THAT(block,
              HasSubstr("<dt>requirements</dt><dd><ul class=\"requirements\"><li><b>STR-1</b> "
                        "MUST" +
                        text + "</li>"));
  EXPECT_THAT(block, HasSubstr("<dt>reproduce</dt><dd><code class=\"reproduce\">" +
                               html_escape(reproduce_command(run.info, fail)) + "</code></dd>"));
  EXPECT_THAT(block, HasSubstr("<dt>expected</dt><dd><code>bytes equal to the 18 sent</code></dd>\n"
                               "<dt>observed</dt><dd><code>EOF after 3 bytes</code></dd>"));
  // A passing case: its requirement IDs only, nothing to reproduce.
  const std::string pass = page.substr(page.find("id=\"case-0\""),
                                       page.find("id=\"case-1\"") - page.find("id=\"case-0\""));
  EXPECT_THAT(pass, HasSubstr("<dt>requirements</dt><dd>STR-1, SVC-1</dd>"));
  EXPECT_THAT(pass, Not(HasSubstr("reproduce")));
  // Without a known version, the header names none.
  EXPECT_THAT(html_page(testing::sample_run()), HasSubstr("<h1>sockspec report</h1>"));
}

TEST(Html, AFlakyCaseIsMarkedApartAndListsEveryRun) {
  const std::string page = html_page(testing::sample_stability_run());
  EXPECT_THAT(page, HasSubstr(".v-flaky {"));
  EXPECT_THAT(page, HasSubstr("<td class=\"v-flaky problem\"><a href=\"#case-0\""));
  EXPECT_THAT(page, HasSubstr("data-verdict=\"flaky\""));  // the verdict filter's hook
  EXPECT_THAT(page, HasSubstr("<dt>stability</dt><dd>3 runs of each case, in rounds "
                              "(--verify)</dd>"));
  EXPECT_THAT(page, HasSubstr("<li class=\"v-pass\" value=\"1\"><pre>run 1: pass</pre></li>"));
  EXPECT_THAT(page, HasSubstr("<li class=\"v-fail\" value=\"2\"><pre>run 2: fail: "
                              "conformance/client/udp/cli-6-sequential-runs.yaml:14:11: "
                              "expect-client: expected stdout: &quot;ok 3&quot; &lt;&amp;&gt;; "
                              "observed stdout: nothing\n  the client exited with code 0"
                              "</pre></li>"));
  EXPECT_THAT(page, HasSubstr("1 flaky</span> in 1.23 s (3 runs of each case)"));
}

TEST(Html, StabilityPageIsWellFormedXml) {
  if (!testing::have_xmllint()) GTEST_SKIP() << "xmllint missing: ci/setup installs libxml2-utils";
  testing::TempDir dir;
  const std::string path = (dir.path() / "report.html").string();
  const net::Status status = make_html_reporter(path)->run_end(testing::sample_stability_run());
  ASSERT_TRUE(status.ok()) << status.error().message;
  const testing::CommandOutput xml = testing::run_command("xmllint --noout '" + path + "'");
  EXPECT_EQ(xml.status, 0) << xml.output;
}

}  // namespace
}  // namespace sockspec::report
