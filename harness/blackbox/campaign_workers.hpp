// `sockspec fuzz --jobs N`: N workers fuzzing at once, each a thread with its own target (started
// from one spec: its own port, its own restarts), its own loop, exchange and in-memory corpus
// (seeded with options.seed + its index), over one shared corpus folder: each saves what it keeps
// there and reads back what the others saved (CorpusSync). Without a corpus folder, N > 1 workers
// share a temporary one, removed at the end. Their limits (--runs, --time, --max-findings, the
// first finding without --keep-going) apply to the whole campaign (SharedCampaign), findings are
// distinct across workers, and the campaign has one status line and one result.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/live_target.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// Called once every worker's target is up, before any input is sent, with their endpoints.
using WorkersStarted = std::function<void(const std::vector<net::Endpoint>& endpoints)>;

// Runs `jobs` workers (at least one) until the campaign ends, printing the status line
// (print_status) to options.log every options.progress_every and at the end. With
// options.coverage_map_size, each worker creates its own edge map and starts its target with it
// (coverage_environment). The result: execs, restarts, probes and imported inputs summed, edges
// the most a worker reached, seconds of the whole campaign, minimise_seconds the workers'
// mean, corpus the largest worker's, the findings of all (distinct ids), interrupted if any saw the
// stop, the first error. Each target is stopped before its worker ends. Error: a target could not
// start (then none fuzzed).
[[nodiscard]] net::Result<CampaignResult> run_workers(const LiveTargetSpec& spec,
                                                      CampaignOptions options, std::size_t jobs,
                                                      const WorkersStarted& started);

}  // namespace sockspec::blackbox
