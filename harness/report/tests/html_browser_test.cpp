// The HTML report as a browser shows it: a 1,000-case page loaded once in headless Chromium, the
// DOM asserted on after the page's script ran.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/report/html.hpp"
#include "harness/report/html_assets.hpp"
#include "harness/report/html_sample_run.hpp"
#include "harness/report/tests/chromium.hpp"

namespace sockspec::report {
namespace {

using testing::occurrences;

using ::testing::HasSubstr;
using ::testing::Not;

// One Chromium start for every assertion: it is the slow part (about a second).
TEST(HtmlInBrowser, ProblemsComeFirstFilteredAndColouredOnceTheScriptRan) {
  if (!testing::have_chromium()) {
    GTEST_SKIP() << "chromium missing: ci/setup installs it (apt-get install -y chromium)";
  }
  const engine::RunResult run = testing::generated_run(1000);
  testing::TempDir dir;
  const std::filesystem::path page = dir.path() / "report.html";
  std::ofstream(page) << html_page(run);
  const testing::CommandOutput dom = testing::dump_dom(page, dir.path() / "profile");
  ASSERT_EQ(dom.status, 0) << dom.output;
  const std::string& d = dom.output;

  // The script ran and chose "problems", the default when there are any.
  EXPECT_THAT(d, HasSubstr("<html lang=\"en\" data-filter=\"problems\">"));
  EXPECT_THAT(d, HasSubstr("<p id=\"filter-box\"><label>"));  // shown, no longer hidden
  const std::size_t problems = run.counts.fail + run.counts.non_strict + run.counts.xpass +
                               run.counts.error + run.counts.flaky;
  EXPECT_THAT(d, HasSubstr("<option value=\"problems\" selected=\"selected\">problems (" +
                           std::to_string(problems) + ")</option>"));

  // First in the body: the title, the counts, then the problems summary listing each problem.
  const std::size_t body = d.find("<body>");
  const std::size_t section = d.find("<section class=\"problems\" id=\"problems\">");
  ASSERT_NE(body, std::string::npos);
  ASSERT_NE(section, std::string::npos);
  const std::string before = d.substr(body, section - body);
  EXPECT_THAT(before, HasSubstr("<h1>"));
  EXPECT_THAT(before, HasSubstr("<p class=\"summary\">"));
  for (std::string_view other : {"<dl", "<table", "<details", "<select"}) {
    EXPECT_THAT(before, Not(HasSubstr(other)));
  }
  const std::size_t section_end = d.find("</section>", section);
  EXPECT_EQ(occurrences(d.substr(section, section_end - section), "<li>"), problems);
  EXPECT_LT(section_end, d.find("<table class=\"matrix\">"));

  // Every verdict in its colour: a matrix cell, a badge and a coloured count in the header.
  for (const VerdictLook& look : verdict_looks()) {
    const std::string name(engine::verdict_name(look.verdict));
    SCOPED_TRACE(name);
    EXPECT_THAT(d, HasSubstr(fmt::format(".v-{} {{ background: {};", name, look.background)));
    EXPECT_THAT(d, HasSubstr("<td class=\"v-" + name + (look.problem ? " problem\">" : "\">")));
    EXPECT_THAT(d, HasSubstr("<b class=\"badge v-" + name + "\">"));
    EXPECT_THAT(d, HasSubstr("<span class=\"count v-" + name + "\">"));
  }

  // The filter hid what is not a problem and left the problems: the rows with no problem cell
  // (only 1 generated case in 50 is one, so most rows) and the blocks of the other cases.
  const std::size_t rows =
      occurrences(d, "<tr><th scope=\"row\"") + occurrences(d, "<tr hidden=\"\"><th scope=\"row\"");
  EXPECT_GT(occurrences(d, "<tr hidden=\"\">"), rows / 2);
  EXPECT_EQ(occurrences(d, "<details class=\"case problem\""), problems);
  EXPECT_EQ(occurrences(d, "<details class=\"case\""), run.cases.size() - problems);
  EXPECT_THAT(d, HasSubstr("<details class=\"case\" id=\"case-0\" data-verdict=\"pass\" "
                           "hidden=\"\">"));
  EXPECT_THAT(d, HasSubstr("<details class=\"case problem\" id=\"case-1\" "
                           "data-verdict=\"fail\">"));
  for (const VerdictLook& look : verdict_looks()) {
    const std::string name(engine::verdict_name(look.verdict));
    SCOPED_TRACE(name);
    const std::size_t cases = occurrences(d, "data-verdict=\"" + name + "\"");
    EXPECT_GT(cases, 0U);
    EXPECT_EQ(occurrences(d, "data-verdict=\"" + name + "\" hidden=\"\""),
              look.problem ? 0 : cases);
  }
}

}  // namespace
}  // namespace sockspec::report
