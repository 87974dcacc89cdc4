// Tests of the JUnit XML report: well-formed and valid per xmllint, counts, one element per
// verdict, per-case properties, non-strict as the exit code says.
#include "harness/report/junit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

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
  // junit-10.xsd has no "skipped" attribute on <testsuites>.
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"sockspec\" tests=\"7\" failures=\"2\" "
                             "errors=\"1\" time=\"1.234\">"));
  // reference-epoll: pass, fail, skip, non-strict; broken-close: xfail, xpass, error.
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"reference-epoll\" tests=\"4\" failures=\"1\" "
                             "errors=\"0\" skipped=\"2\" time=\"0.036\" "
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
                             "errors=\"0\" time=\"1.234\">"));
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

// xmllint's verdict on `xml` against testdata/junit-10-constraints.xsd.
testing::CommandOutput validate(const std::string& xml) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "report.xml").string();
  std::ofstream(path) << xml;
  return testing::run_command("xmllint --noout --schema '" SOCKSPEC_REPORT_TESTDATA
                              "/junit-10-constraints.xsd' '" +
                              path + "'");
}

TEST(Junit, ValidAgainstJunit10Constraints) {
  if (!testing::have_xmllint()) GTEST_SKIP() << "xmllint missing: ci/setup installs libxml2-utils";
  engine::RunResult strict = testing::sample_run();
  strict.info.strict = true;
  for (const engine::RunResult& run :
       {testing::sample_run(), strict, testing::sample_stability_run()}) {
    SCOPED_TRACE(run.info.targets.front() + (run.info.strict ? " strict" : ""));
    const testing::CommandOutput lint = validate(junit_xml(run));
    EXPECT_EQ(lint.status, 0) << lint.output;
    EXPECT_THAT(lint.output, HasSubstr("validates"));
  }
}

TEST(Junit, TheConstraintsRejectWhatJunit10Rejects) {
  if (!testing::have_xmllint()) GTEST_SKIP() << "xmllint missing: ci/setup installs libxml2-utils";
  const std::string head = "<?xml version=\"1.0\"?>\n";
  for (const std::string& xml :
       {head + "<testsuites skipped=\"1\"/>",
        head + "<testsuites><testsuite name=\"t\" tests=\"1\" failures=\"0\" errors=\"0\">"
               "<testcase name=\"c\"><properties/></testcase></testsuite></testsuites>",
        head + "<testsuites><testsuite name=\"t\" tests=\"0\" failures=\"0\"/></testsuites>"}) {
    SCOPED_TRACE(xml);
    EXPECT_NE(validate(xml).status, 0);
  }
}

TEST(Junit, EachCaseHasItsPropertiesInItsSuite) {
  const std::string xml = junit_xml(testing::sample_run());
  EXPECT_THAT(xml, HasSubstr("timestamp=\"2024-05-01T12:00:00Z\">\n    <properties>\n"
                             "      <property name=\"str/echo [reference-epoll, ipv4] "
                             "requirements\" value=\"STR-1 SVC-1\"/>\n"
                             "      <property name=\"str/echo [reference-epoll, ipv4] level\" "
                             "value=\"MUST\"/>\n"
                             "      <property name=\"str/echo [reference-epoll, ipv4] file\" "
                             "value=\"conformance/tcp/str/echo.yaml\"/>\n"
                             "      <property name=\"str/echo [reference-epoll, ipv4] target\" "
                             "value=\"reference-epoll\"/>\n"
                             "      <property name=\"str/echo [reference-epoll, ipv4] family\" "
                             "value=\"ipv4\"/>\n"
                             "      <property name=\"str/echo [reference-epoll, ipv4] verdict\" "
                             "value=\"pass\"/>\n"));
  EXPECT_THAT(xml, HasSubstr("<property name=\"str/echo [broken-close, ipv6] verdict\" "
                             "value=\"error\"/>\n    </properties>\n    <testcase"));
  // 7 cases, 6 properties each.
  std::size_t count = 0;
  for (std::size_t at = xml.find("<property "); at != std::string::npos;
       at = xml.find("<property ", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 42U);
}

TEST(Junit, LevelIsShouldWhenEveryRequirementIsAShouldAndComesFromTheReportFirst) {
  engine::RunResult run = testing::sample_run();
  run.cases.resize(1);
  run.cases[0].requirements = {"MYPROTO-1"};
  EXPECT_THAT(junit_xml(run), HasSubstr("level\" value=\"MUST\""));  // unknown: as a MUST
  run.info.requirements = {{"MYPROTO-1", scenario::Level::should, "answers politely"}};
  EXPECT_THAT(junit_xml(run), HasSubstr("level\" value=\"SHOULD\""));
}

TEST(Junit, NonStrictAgreesWithTheExitCode) {
  engine::RunResult run = testing::sample_run();
  // Without --strict (exit 0): skipped, with the diagnostic, never a failure.
  std::string xml = junit_xml(run);
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"non-strict: "
                             "conformance/tcp/str/half-close.yaml:9:5: expect-eof: expected EOF "
                             "within 1 s; observed no EOF after 1 s\">conformance/tcp/str/"
                             "half-close.yaml:9:5: expect-eof:"));
  EXPECT_THAT(xml, Not(HasSubstr("type=\"non-strict\"")));
  // With --strict (exit 1): a failure of type non-strict, counted among the failures.
  run.info.strict = true;
  xml = junit_xml(run);
  EXPECT_THAT(xml, HasSubstr("<failure message=\"conformance/tcp/str/half-close.yaml:9:5: "
                             "expect-eof: expected EOF within 1 s; observed no EOF after 1 s\" "
                             "type=\"non-strict\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"sockspec\" tests=\"7\" failures=\"3\" "));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"reference-epoll\" tests=\"4\" failures=\"2\" "
                             "errors=\"0\" skipped=\"1\""));
}

}  // namespace
}  // namespace sockspec::report
