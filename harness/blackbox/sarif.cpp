// SARIF 2.1.0 logs of campaigns: rules from finding kinds, one result per finding.
#include "harness/blackbox/sarif.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "harness/report/text.hpp"

namespace sockspec::blackbox {
namespace {

using nlohmann::json;
using report::utf8_safe;

// What the rule `id` checks: a short and a full description.
std::pair<std::string, std::string> rule_text(const Finding& f) {
  switch (f.kind) {
    case FindingKind::died:
      return {"The server died on an input",
              "The server exited or was killed by a signal while handling fuzzed input; a "
              "server must survive any bytes a peer sends."};
    case FindingKind::hang:
      return {"The server hung on an input",
              "The server stopped answering (an owed reply did not come in time) or stopped "
              "accepting connections after fuzzed input."};
    case FindingKind::unresponsive:
      return {"The server stopped answering its protocol",
              "After fuzzed input, the server no longer answered its own protocol (the "
              "profile's default exchange, on a fresh connection) correctly."};
    case FindingKind::oracle:
      break;
  }
  return {fmt::format("The {} server answered wrongly", f.service),
          fmt::format("The server's reply to fuzzed input differs from what the {} service's "
                      "model answers.",
                      f.service)};
}

std::string uri(const std::string& path) {
  return !path.empty() && path.front() == '/' ? "file://" + path : path;
}

std::string what(FindingKind kind) {
  switch (kind) {
    case FindingKind::died:
      return "died";
    case FindingKind::hang:
      return "hung";
    case FindingKind::unresponsive:
      return "stopped answering its protocol";
    case FindingKind::oracle:
      break;
  }
  return "answered wrongly";
}

}  // namespace

std::string sarif_rule_id(const Finding& f) {
  if (f.kind == FindingKind::oracle) return "oracle-" + f.service;
  return std::string(kind_name(f.kind));
}

nlohmann::json sarif_json(const CampaignInfo& info, const CampaignResult& result) {
  std::vector<std::string> rule_ids;
  json rules = json::array();
  json results = json::array();
  for (const CampaignFinding& cf : result.findings) {
    const Finding& f = cf.finding;
    const std::string rule = sarif_rule_id(f);
    auto at = std::find(rule_ids.begin(), rule_ids.end(), rule);
    if (at == rule_ids.end()) {
      const auto [brief, full] = rule_text(f);
      rules.push_back({{"id", utf8_safe(rule)},
                       {"name", utf8_safe(rule)},
                       {"shortDescription", {{"text", utf8_safe(brief)}}},
                       {"fullDescription", {{"text", utf8_safe(full)}}},
                       {"defaultConfiguration", {{"level", "error"}}}});
      at = rule_ids.insert(rule_ids.end(), rule);
    }
    const std::string message = fmt::format(
        "{} {} ({}) after {} {} input{} ({} {}): replay with `sockspec run {} --target ...`",
        info.target, what(f.kind), f.detail, f.messages.size(),
        f.minimised ? "minimised" : "unminimised", f.messages.size() == 1 ? "" : "s",
        mode_name(f.mode), f.service, cf.file);
    results.push_back(
        {{"ruleId", utf8_safe(rule)},
         {"ruleIndex", static_cast<std::size_t>(at - rule_ids.begin())},
         {"level", "error"},
         {"message", {{"text", utf8_safe(message)}}},
         {"locations",
          json::array({{{"physicalLocation",
                         {{"artifactLocation", {{"uri", utf8_safe(uri(cf.file))}}}}}}})},
         {"partialFingerprints", {{"sockspecFindingId/v1", utf8_safe(cf.id)}}},
         {"properties",
          {{"id", utf8_safe(cf.id)},
           {"kind", kind_name(f.kind)},
           {"exec", f.exec},
           {"seconds", f.seconds},
           {"minimised", f.minimised},
           {"reproduced", cf.reproduced},
           {"stderr_tail", utf8_safe(f.stderr_tail)}}}});
  }
  json invocation{{"executionSuccessful", !result.error.has_value()}};
  if (result.error) {
    invocation["toolExecutionNotifications"] =
        json::array({{{"level", "error"}, {"message", {{"text", utf8_safe(*result.error)}}}}});
  }
  json run{{"tool", {{"driver", {{"name", "sockspec"}, {"rules", std::move(rules)}}}}},
           {"invocations", json::array({std::move(invocation)})},
           {"properties",
            {{"target", utf8_safe(info.target)},
             {"service", utf8_safe(info.service)},
             {"mode", mode_name(info.mode)},
             {"family", info.family == scenario::Family::ipv6 ? "ipv6" : "ipv4"},
             {"seed", info.seed},
             {"execs", result.execs},
             {"seconds", result.seconds},
             {"interrupted", result.interrupted}}},
           {"results", std::move(results)}};
  return json{
      {"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
}

}  // namespace sockspec::blackbox
