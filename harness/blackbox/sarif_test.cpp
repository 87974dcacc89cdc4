// Tests of the SARIF log of a campaign: the fields SARIF 2.1.0's schema requires, one result per
// finding with its rule and replay file, and any bytes kept valid UTF-8.
#include "harness/blackbox/sarif.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace sockspec::blackbox {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

CampaignFinding finding(FindingKind kind, std::string file, std::string detail) {
  CampaignFinding cf;
  cf.finding.kind = kind;
  cf.finding.service = "echo";
  cf.finding.messages = {"GET /\r\n", std::string("\x00\xff", 2)};
  cf.finding.minimised = true;
  cf.finding.detail = std::move(detail);
  cf.finding.target = "reference-epoll";
  cf.finding.stderr_tail = "AddressSanitizer: heap-buffer-overflow \xc3(\n";
  cf.finding.exec = 1234;
  cf.finding.seconds = 2.5;
  cf.id = finding_id(cf.finding);
  cf.file = std::move(file);
  return cf;
}

struct Campaign {
  CampaignInfo info{"reference-epoll", "echo", Mode::persistent, scenario::Family::ipv4, 7};
  CampaignResult result;
};

Campaign sample_campaign() {
  Campaign c;
  c.result.execs = 5000;
  c.result.seconds = 3.5;
  c.result.findings = {
      finding(FindingKind::died, "fuzz-findings/fuzz-echo-died-1.yaml", "killed by SIGSEGV"),
      finding(FindingKind::oracle, "/tmp/out/fuzz-echo-oracle-2.yaml", "byte 3: 'a' for 'b'"),
      finding(FindingKind::oracle, "fuzz-findings/fuzz-echo-oracle-3.yaml", "byte 0: short"),
  };
  return c;
}

// The properties SARIF 2.1.0's JSON schema marks required (sarifLog: version, runs; run: tool;
// tool: driver; toolComponent: name; result: message; message: text; reportingDescriptor: id;
// invocation: executionSuccessful), and the values it restricts (version, level, ruleIndex).
void expect_valid_sarif(const json& log) {
  ASSERT_TRUE(log.is_object());
  EXPECT_EQ(log.value("$schema", ""), kSarifSchema);
  EXPECT_EQ(log.value("version", ""), "2.1.0");
  ASSERT_TRUE(log.contains("runs") && log["runs"].is_array());
  for (const json& run : log["runs"]) {
    ASSERT_TRUE(run.contains("tool") && run["tool"].contains("driver"));
    const json& driver = run["tool"]["driver"];
    ASSERT_TRUE(driver.contains("name") && driver["name"].is_string());
    std::set<std::string> ids;
    for (const json& rule : driver.value("rules", json::array())) {
      ASSERT_TRUE(rule.contains("id") && rule["id"].is_string());
      EXPECT_TRUE(ids.insert(rule["id"].get<std::string>()).second) << "duplicate rule";
      EXPECT_TRUE(rule["shortDescription"]["text"].is_string());
    }
    for (const json& invocation : run.value("invocations", json::array())) {
      EXPECT_TRUE(invocation.contains("executionSuccessful") &&
                  invocation["executionSuccessful"].is_boolean());
    }
    for (const json& result : run.value("results", json::array())) {
      ASSERT_TRUE(result.contains("message") && result["message"].contains("text"));
      EXPECT_FALSE(result["message"]["text"].get<std::string>().empty());
      EXPECT_THAT((std::set<std::string>{"none", "note", "warning", "error"}),
                  ::testing::Contains(result.value("level", "warning")));
      const std::size_t index = result["ruleIndex"].get<std::size_t>();
      ASSERT_LT(index, driver["rules"].size());
      EXPECT_EQ(driver["rules"][index]["id"], result["ruleId"]);
      for (const json& location : result["locations"]) {
        EXPECT_TRUE(location["physicalLocation"]["artifactLocation"]["uri"].is_string());
      }
    }
  }
}

TEST(Sarif, HasTheFieldsTheSchemaRequires) {
  const Campaign c = sample_campaign();
  // Through text, as a file holds it: the dump must parse back.
  const json log =
      json::parse(sarif_json(c.info, c.result).dump(2, ' ', false, json::error_handler_t::strict));
  expect_valid_sarif(log);
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["name"], "sockspec");
  expect_valid_sarif(sarif_json(c.info, CampaignResult{}));  // no finding: no result
  EXPECT_TRUE(sarif_json(c.info, CampaignResult{})["runs"][0]["results"].empty());
}

TEST(Sarif, OneErrorResultPerFindingWithItsRuleAndReplayFile) {
  const Campaign c = sample_campaign();
  const json run = sarif_json(c.info, c.result)["runs"][0];
  const json& results = run["results"];
  ASSERT_EQ(results.size(), 3U);
  // Two rules: died and the echo oracle, shared by the two wrong replies.
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 2U);
  EXPECT_EQ(results[0]["ruleId"], "died");
  EXPECT_EQ(results[1]["ruleId"], "oracle-echo");
  EXPECT_EQ(results[2]["ruleId"], "oracle-echo");
  EXPECT_EQ(results[2]["ruleIndex"], 1);
  for (const json& r : results) EXPECT_EQ(r["level"], "error");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "fuzz-findings/fuzz-echo-died-1.yaml");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///tmp/out/fuzz-echo-oracle-2.yaml");
  EXPECT_THAT(results[0]["message"]["text"].get<std::string>(),
              HasSubstr("reference-epoll died (killed by SIGSEGV) after 2 minimised inputs "
                        "(persistent echo): replay with `sockspec run "
                        "fuzz-findings/fuzz-echo-died-1.yaml"));
  EXPECT_EQ(results[0]["partialFingerprints"]["sockspecFindingId/v1"], c.result.findings[0].id);
  EXPECT_EQ(results[0]["properties"]["exec"], 1234);
  // Stray bytes of the stderr tail are text, so the log is valid UTF-8.
  EXPECT_EQ(results[0]["properties"]["stderr_tail"],
            "AddressSanitizer: heap-buffer-overflow \\xc3(\n");
}

TEST(Sarif, AnUnresponsiveServerHasItsOwnRule) {
  Campaign c = sample_campaign();
  c.result.findings = {finding(FindingKind::unresponsive, "f.yaml", "no reply to 'ping'")};
  const json run = sarif_json(c.info, c.result)["runs"][0];
  EXPECT_EQ(run["results"][0]["ruleId"], "unresponsive");
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["shortDescription"]["text"],
            "The server stopped answering its protocol");
  EXPECT_THAT(run["results"][0]["message"]["text"].get<std::string>(),
              HasSubstr("reference-epoll stopped answering its protocol (no reply to 'ping')"));
}

TEST(Sarif, ACampaignErrorIsAnUnsuccessfulInvocation) {
  Campaign c = sample_campaign();
  EXPECT_EQ(sarif_json(c.info, c.result)["runs"][0]["invocations"][0]["executionSuccessful"], true);
  c.result.error = "cannot restart the target: exit status 1";
  const json invocation = sarif_json(c.info, c.result)["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["message"]["text"],
            "cannot restart the target: exit status 1");
}

}  // namespace
}  // namespace sockspec::blackbox
