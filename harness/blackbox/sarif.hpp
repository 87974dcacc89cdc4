// A campaign's findings as SARIF 2.1.0 (`sockspec fuzz --sarif`), the format code scanning tools
// (GitHub, GitLab, IDEs) read.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/campaign_report.hpp"

namespace sockspec::blackbox {

// The URI of the schema, the log's "$schema".
inline constexpr char kSarifSchema[] =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// The rule a finding breaks, its SARIF ruleId: "died", "hang", or "oracle-<service>" (the reply
// differs from that service's model: "oracle-echo").
[[nodiscard]] std::string sarif_rule_id(const Finding& f);

// {"$schema", "version": "2.1.0", "runs": [{
//   "tool": {"driver": {"name": "sockspec", "rules": [one per ruleId used:
//             {id, name, shortDescription: {text}, fullDescription: {text},
//              defaultConfiguration: {level: "error"}}]}},
//   "invocations": [{"executionSuccessful": no error, "toolExecutionNotifications": [the error]}],
//   "properties": {target, service, mode, family, seed, execs, seconds, interrupted},
//   "results": [one per finding, in order: {ruleId, ruleIndex, level: "error",
//     message: {text: "<target> <what> (<detail>): replay with `sockspec run <file> ...`"},
//     locations: [{physicalLocation: {artifactLocation: {uri: the replay scenario}}}],
//     partialFingerprints: {"sockspecFindingId/v1": finding id},
//     properties: {id, kind, exec, seconds, minimised, reproduced, stderr_tail}}]}]}
// The uri is the file's path as written (relative to where sockspec ran), or "file://" + an
// absolute path. Strings are report::utf8_safe(): valid UTF-8, stray bytes as the text \xHH.
[[nodiscard]] nlohmann::json sarif_json(const CampaignInfo& info, const CampaignResult& result);

}  // namespace sockspec::blackbox
