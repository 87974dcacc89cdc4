// Tests of the JUnit XML report: well-formed per xmllint, counts, one element per verdict.
#include "harness/report/junit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Junit, FileIsWellFormedXml) {
  if (!testing::have_xmllint()) GTEST_SKIP() << "xmllint missing: ci/setup installs libxml2-utils";
  testing::TempDir dir;
  const std::string path = (dir.path() / "report.xml").string();
  auto reporter = make_junit_reporter(path);
  const engine::RunResult run = testing::sample_run();
  reporter->run_start(run.info);
  for (const engine::CaseResult& r : run.cases) reporter->case_end(r);
  const net::Status status = reporter->run_end(run);
  ASSERT_TRUE(status.ok()) << status.error().message;
  const testing::CommandOutput lint = testing::run_command("xmllint --noout '" + path + "'");
  EXPECT_EQ(lint.status, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
}

TEST(Junit, CountsPerRunAndPerTarget) {
  const std::string xml = junit_xml(testing::sample_run());
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"sockspec\" tests=\"7\" failures=\"3\" "
                             "errors=\"1\" skipped=\"2\" time=\"1.234\">"));
  // reference-epoll: pass, fail, skip, non-strict; broken-close: xfail, xpass, error.
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"reference-epoll\" tests=\"4\" failures=\"2\" "
                             "errors=\"0\" skipped=\"1\" time=\"0.036\" "
                             "timestamp=\"2024-05-01T12:00:00Z\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"broken-close\" tests=\"3\" failures=\"1\" "
                             "errors=\"1\" skipped=\"1\" time=\"0.036\""));
}

TEST(Junit, OneElementPerVerdict) {
  const std::string xml = junit_xml(testing::sample_run());
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"reference-epoll.ipv4\" name=\"str/echo\" "
                             "time=\"0.012\">\n      <system-out>"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"conformance/tcp/str/echo.yaml:12:5: expect: "
                             "expected bytes equal to the 18 sent; observed EOF after 3 bytes\" "
                             "type=\"fail\">conformance/tcp/str/echo.yaml:12:5: expect:"));
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"the target lacks capability udp\"/>"));
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"xfail: closes before echoing (CON-1)\"/>"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"passed, but the profile expects it to fail: "
                             "closes early\" type=\"xpass\">"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"conformance/tcp/str/half-close.yaml:9:5: "));
  EXPECT_THAT(xml, HasSubstr("type=\"non-strict\">"));
  EXPECT_THAT(xml, HasSubstr("<error message=\"the target did not start: exit status 3\" "
                             "type=\"error\">"));
  EXPECT_THAT(xml, HasSubstr("<system-err>bind [::1]:0: Address family not supported"));
  // The data's markup and bytes are escaped.
  EXPECT_THAT(xml, HasSubstr("&lt;/script&gt;&lt;&amp;&gt;\\&quot;&#39;"));
  EXPECT_THAT(xml, HasSubstr("log 5\\x1b[31m"));
  EXPECT_THAT(xml, Not(HasSubstr("<&>")));
  EXPECT_THAT(xml, Not(HasSubstr("\x1b")));
}

TEST(Junit, AFlakyCaseIsAFailureOfTypeFlakyWithBothDiagnostics) {
  const std::string xml = junit_xml(testing::sample_stability_run());
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"sockspec\" tests=\"2\" failures=\"1\" "
                             "errors=\"0\" skipped=\"0\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"verdicts differ over 3 runs: pass in runs 1, 3; "
                             "fail in run 2\" type=\"flaky\">run 1: pass\nrun 2: fail: "
                             "conformance/client/udp/cli-6-sequential-runs.yaml:14:11: "
                             "expect-client: expected stdout: &quot;ok 3&quot; &lt;&amp;&gt;; "
                             "observed stdout: nothing\n"));
}

TEST(Junit, StabilityFileIsWellFormedXml) {
  if (!testing::have_xmllint()) GTEST_SKIP() << "xmllint missing: ci/setup installs libxml2-utils";
  testing::TempDir dir;
  const std::string path = (dir.path() / "report.xml").string();
  const net::Status status = make_junit_reporter(path)->run_end(testing::sample_stability_run());
  ASSERT_TRUE(status.ok()) << status.error().message;
  const testing::CommandOutput lint = testing::run_command("xmllint --noout '" + path + "'");
  EXPECT_EQ(lint.status, 0) << lint.output;
  EXPECT_EQ(lint.output, "");
}

}  // namespace
}  // namespace sockspec::report
