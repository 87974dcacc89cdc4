// The end of a campaign for people and programs: the summary line and the JSON document.
#pragma once

#include <cstdio>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "harness/blackbox/campaign.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// What the summary says about the campaign besides its result.
struct CampaignInfo {
  std::string target;   // profile name, --cmd line or "connect HOST:PORT"
  std::string service;  // "echo"
  Mode mode = Mode::persistent;
  scenario::Family family = scenario::Family::ipv4;
  std::uint64_t seed = 0;
};

// "fuzz: 61234 execs in 12.0 s (5102 exec/s), 0 findings, 0 restarts, corpus 87 (seed 7)"
// then, if any, one line per finding with its file. Coverage-guided: ", 812 edges" after the
// closing parenthesis.
void print_summary(std::FILE* out, const CampaignInfo& info, const CampaignResult& result);

// {"target", "service", "mode", "family", "seed", "execs", "seconds", "execs_per_second",
//  "restarts", "corpus", "probes" (protocol mode; else 0), "interrupted", "error",
//  "findings": [{"id", "kind", "detail", "file",
//  "exec", "seconds", "minimised", "reproduced", "messages": [hex...], "stderr_tail"}]}
// Strings may hold any bytes: dump() it with error_handler_t::replace.
[[nodiscard]] nlohmann::json campaign_json(const CampaignInfo& info, const CampaignResult& result);

}  // namespace sockspec::blackbox
