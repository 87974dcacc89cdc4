// What the campaign does with a finding: minimise it by replays on fresh targets, and write its
// replay scenario (finding_yaml) to the output folder.
#pragma once

#include <string>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/judge.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// Replays `f.messages` on a fresh target; if they fail the same way, shrinks them with
// minimise() within the options' minimise budget (every attempt on a fresh target). A target we
// did not start is replayed as it is (a dead one cannot be: no minimisation). Leaves `target`
// restarted and ready for more fuzzing. Error: the fresh target could not start.
[[nodiscard]] net::Result<CampaignFinding> settle_finding(Finding f, LiveTarget& target,
                                                          const CampaignOptions& options);

// Writes finding_yaml(f) to `out_dir`/<id, '/' as '-'>.yaml (the folder is created), and its
// sanitizer report, if any, beside it (sanitizer_log_path); returns the scenario's path. Error:
// "writing DIR/x.yaml: No space left on device (ENOSPC)".
[[nodiscard]] net::Result<std::string> write_finding(const Finding& f, const std::string& id,
                                                     const std::string& out_dir);

// The finding `j` (which has a kind) is, as the campaign saw it: the campaign's mode, service (or
// protocol, with its steps) and family, `messages`, the target's name, stderr tail and sanitizer
// report, and when it came (`exec` inputs, `seconds` into the campaign).
[[nodiscard]] Finding campaign_finding(const Judgement& j, Messages messages,
                                       const LiveTarget& target, const CampaignOptions& options,
                                       std::uint64_t exec, double seconds);

// settle_finding(f) (its time counted as `worker`'s minimising time), then, if no worker of
// `shared` reported its id yet: write_finding, one line on options.findings ("finding: died
// echo/died-...: killed by SIGSEGV (exec 12, 0.3s; 1 message, 1025 bytes, minimised) ->
// DIR/x.yaml", then "; SUMMARY: ..." with a sanitizer report) and an entry in result.findings.
// Error: as theirs.
[[nodiscard]] net::Status keep_finding(Finding f, LiveTarget& target,
                                       const CampaignOptions& options, SharedCampaign& shared,
                                       std::size_t worker, CampaignResult& result);

}  // namespace sockspec::blackbox
