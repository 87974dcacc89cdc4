// Tests of the HTML report: the matrix, the escaping of data, and well-formedness.
#include "harness/report/html.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/report/json.hpp"
#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::size_t occurrences(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(Html, MatrixHasOneLinkedCellPerCase) {
  const engine::RunResult run = testing::sample_run();
  const std::string page = html_page(run);
  EXPECT_EQ(occurrences(page, "<a href=\"#case-"), run.cases.size());
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(occurrences(page, "href=\"#case-" + std::to_string(i) + "\""), 1U);
    EXPECT_EQ(occurrences(page, "id=\"case-" + std::to_string(i) + "\""), 1U);
  }
  EXPECT_THAT(page, HasSubstr("<th>reference-epoll<br/>ipv4</th><th>reference-epoll<br/>ipv6</th>"
                              "<th>broken-close<br/>ipv4</th><th>broken-close<br/>ipv6</th>"));
  // Rows sorted by scenario id; a cell without a case is marked as such.
  EXPECT_THAT(page, HasSubstr("\">str/echo</th><td>STR-1, SVC-1</td>"
                              "<td class=\"v-pass\"><a href=\"#case-0\""));
  EXPECT_THAT(page, HasSubstr("<td class=\"v-error\"><a href=\"#case-5\" "
                              "title=\"str/echo [broken-close, ipv6]\">error</a></td></tr>"));
  EXPECT_LT(page.find(">str/echo</th>"), page.find(">str/half-close</th>"));
  EXPECT_LT(page.find(">str/half-close</th>"), page.find(">udp/echo</th>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"none\">-</td>"));
  EXPECT_THAT(page, HasSubstr("1 passed, 1 failed, 1 skipped, 1 non-strict, 1 xfail, 1 xpass, "
                              "1 errors in 1.23 s"));
}

TEST(Html, DataIsEscapedEverywhere) {
  const engine::RunResult run = testing::sample_run();
  const std::string page = html_page(run);
  EXPECT_THAT(page, Not(HasSubstr("<&>")));
  EXPECT_THAT(page, Not(HasSubstr("log 3 </script>")));
  EXPECT_THAT(page, Not(HasSubstr("\x1b")));
  EXPECT_THAT(page, HasSubstr("log 3 &lt;/script&gt;"));
  // The page has exactly its own two scripts.
  EXPECT_EQ(occurrences(page, "</script>"), 2U);
  const std::string open = "<script type=\"application/json\" id=\"sockspec-data\">";
  const std::size_t begin = page.find(open);
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = page.find("</script>", begin);
  const std::string embedded = page.substr(begin + open.size(), end - begin - open.size());
  EXPECT_THAT(embedded, Not(HasSubstr("<")));
  EXPECT_THAT(embedded, Not(HasSubstr("&")));
  EXPECT_EQ(nlohmann::json::parse(embedded), to_json(run));
}

// clang-format once rewrote the script inside its raw string ("v != = ..."); the script is kept
// out of formatting, and this pins a line of it.
TEST(Html, ScriptIsEmbeddedVerbatim) {
  const std::string page = html_page(testing::sample_run());
  EXPECT_THAT(page, HasSubstr("<script>//<![CDATA[\n(function () {\n"));
  EXPECT_THAT(page,
              HasSubstr("      row.hidden = v !== \"\" && !row.querySelector(\"td.v-\" + v);\n"));
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
                           "grep -v -E 'Tag (details|summary) invalid' || true");
  EXPECT_EQ(html.output, "");
}

TEST(Html, AFlakyCaseIsMarkedApartAndListsEveryRun) {
  const std::string page = html_page(testing::sample_stability_run());
  EXPECT_THAT(page, HasSubstr(".v-flaky {"));
  EXPECT_THAT(page, HasSubstr("<td class=\"v-flaky\"><a href=\"#case-0\""));
  EXPECT_THAT(page, HasSubstr("data-verdict=\"flaky\""));  // the verdict filter's hook
  EXPECT_THAT(page, HasSubstr("<dt>stability</dt><dd>3 runs of each case, in rounds "
                              "(--verify)</dd>"));
  EXPECT_THAT(page, HasSubstr("<li class=\"v-pass\" value=\"1\"><pre>run 1: pass</pre></li>"));
  EXPECT_THAT(page, HasSubstr("<li class=\"v-fail\" value=\"2\"><pre>run 2: fail: "
                              "conformance/client/udp/cli-6-sequential-runs.yaml:14:11: "
                              "expect-client: expected stdout: &quot;ok 3&quot; &lt;&amp;&gt;; "
                              "observed stdout: nothing\n  the client exited with code 0"
                              "</pre></li>"));
  EXPECT_THAT(page, HasSubstr("1 flaky in 1.23 s (3 runs of each case)"));
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
