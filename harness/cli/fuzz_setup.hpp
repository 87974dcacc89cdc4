// `sockspec fuzz`'s flags turned into a campaign: the target to start (or adopt), the seeds,
// the dictionary and the limits, every input checked first.
#pragma once

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/cli/options.hpp"
#include "targets/net/result.hpp"

namespace sockspec::cli {

struct FuzzSetup {
  blackbox::LiveTargetSpec target;
  blackbox::CampaignOptions campaign;
  blackbox::CampaignInfo info;
  unsigned jobs = 1;
  std::vector<std::string> warnings;  // one line each, for stderr (a corpus folder read in part)
};

// Errors are usage errors (exit 2), one line without the "sockspec fuzz: " prefix: a bad
// duration, no or several targets, an unknown profile, a mode or service the profile cannot
// do, an unreadable dictionary, seed file or corpus folder, a bad corpus file ("--corpus DIR/x:
// byte 21: ...").
[[nodiscard]] net::Result<FuzzSetup> fuzz_setup(const FuzzOptions& o);

}  // namespace sockspec::cli
