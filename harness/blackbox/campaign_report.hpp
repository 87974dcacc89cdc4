// The end of a campaign for people and programs: the summary line and the JSON document.
#pragma once

#include <cstdio>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

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

// An exec/s rate as printed: whole numbers from 100 on, else three significant digits ("0.25"),
// so a campaign that ran inputs never reads "0 exec/s".
[[nodiscard]] std::string rate_text(double per_second);

// The status line, every --progress interval:
// "fuzz: at 12.0s: 61234 execs (5102/s fuzzing), corpus 87, findings 0, restarts 0, workers 2"
// (coverage-guided: "edges 812, " before "findings")
void print_status(std::FILE* out, std::string_view what, const CampaignStatus& status);

// "fuzz: 61234 execs in 12.0 s (5102 exec/s fuzzing, 0.0 s minimising), 0 findings, 0 restarts,
// corpus 87, 1 worker (echo persistent ipv4, seed 7)" then, if any, one line per finding with
// its file. Coverage-guided: ", 812 edges" after the closing parenthesis.
void print_summary(std::FILE* out, const CampaignInfo& info, const CampaignResult& result);

// {"target", "service", "mode", "family", "seed", "execs", "seconds", "minimise_seconds",
//  "execs_per_second" (of fuzzing alone), "workers", "restarts", "corpus", "imported" (inputs
//  read back from the corpus folder: the other workers' and runs'), "probes" (protocol mode;
//  else 0), "edges" (coverage-guided; else 0), "interrupted",
//  "error", "findings": [{"id", "kind", "detail", "file", "exec", "seconds", "minimised",
//  "reproduced", "messages": [hex...], "stderr_tail", "sanitizer_summary" (or null), "log" (the
//  sanitizer report's file, or null)}]}
// Strings may hold any bytes: dump() it with error_handler_t::replace.
[[nodiscard]] nlohmann::json campaign_json(const CampaignInfo& info, const CampaignResult& result);

}  // namespace sockspec::blackbox
