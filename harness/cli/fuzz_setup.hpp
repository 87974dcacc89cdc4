// `sockspec fuzz`'s flags turned into a campaign: the target to start (or adopt), the seeds,
// the dictionary and the limits, every input checked first.
#pragma once

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/cli/options.hpp"
#include "targets/net/result.hpp"

namespace sockspec::cli {

// The service a campaign in a server's own protocol reports (CampaignInfo::service).
inline constexpr std::string_view kProtocolService = "protocol";

struct FuzzSetup {
  blackbox::LiveTargetSpec target;
  blackbox::CampaignOptions campaign;
  blackbox::CampaignInfo info;
  unsigned jobs = 1;
  std::vector<std::string> warnings;  // one line each, for stderr (a corpus folder read in part)
};

// A --target profile that declares exchanges, with no --service, is fuzzed in its own protocol
// (harness/blackbox/protocol.hpp): seeds and dictionary from its requests, no model, the probe.
// Errors are usage errors (exit 2), one line without the "sockspec fuzz: " prefix: a bad
// duration, no or several targets, an unknown profile, a mode or service the profile cannot
// do (exchanges declared, but not over the transport of --mode), --probe-every outside the
// protocol mode, an unreadable dictionary, seed file or corpus folder, a bad corpus file
// ("--corpus DIR/x: byte 21: ..."), --coverage with --connect, a bad AFL_MAP_SIZE.
[[nodiscard]] net::Result<FuzzSetup> fuzz_setup(const FuzzOptions& o);

}  // namespace sockspec::cli
