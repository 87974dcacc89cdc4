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
  // --coverage afl: the size of the edge map to create (AFL_MAP_SIZE or AFL's default); 0: blind.
  std::size_t coverage_map_size = 0;
};

// Errors are usage errors (exit 2), one line without the "sockspec fuzz: " prefix: a bad
// duration, no or several targets, an unknown profile, a mode or service the profile cannot
// do, an unreadable dictionary, seed file or corpus folder, --coverage with --connect, a bad
// AFL_MAP_SIZE.
[[nodiscard]] net::Result<FuzzSetup> fuzz_setup(const FuzzOptions& o);

}  // namespace sockspec::cli
