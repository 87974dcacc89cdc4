// The black-box fuzz loop (`sockspec fuzz`): pick a corpus entry, mutate it, send it to the live
// target, judge the answer; on a finding, minimise it on fresh targets, write its replay scenario
// and restart the target.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/blackbox/campaign_shared.hpp"
#include "harness/blackbox/corpus_sync.hpp"
#include "harness/blackbox/coverage_map.hpp"
#include "harness/blackbox/exchange.hpp"
#include "harness/blackbox/finding.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/blackbox/mutator.hpp"

namespace sockspec::blackbox {

// The default of `--probe-every`: a probe costs about what a few inputs cost (a connection, the
// greeting, one exchange), so one in 64 inputs takes under a tenth of the time, and a finding
// blames at most 64 inputs, which the minimiser cuts down in a few dozen replays.
inline constexpr std::size_t kDefaultProbeEvery = 64;

struct CampaignOptions {
  ExchangeOptions exchange{};  // mode, service, reply timeout, stop_fd
  scenario::Family family = scenario::Family::ipv4;
  std::chrono::milliseconds duration{60'000};  // of the loop; minimisation has its own budget
  std::uint64_t max_runs = 0;                  // 0: no limit
  std::uint64_t seed = 1;
  std::size_t max_len = 4096;
  Dictionary dictionary{};
  std::vector<std::string> seeds{};  // scenario seeds and --corpus files (built-in ones added)
  std::size_t corpus_capacity = 512;
  bool keep_going = false;       // go on after a finding (restarting the target)
  std::size_t max_findings = 0;  // with keep_going: stop after this many; 0: no limit
  std::chrono::milliseconds minimise_time{30'000};
  std::size_t minimise_attempts = 2000;  // replays; minimise_time bounds them too
  // Protocol mode (exchange.protocol): the probe runs after this many inputs (and after the
  // server ended a connection); an `unresponsive` finding replays the inputs since the last.
  std::size_t probe_every = kDefaultProbeEvery;
  std::string out_dir = "fuzz-findings";
  std::FILE* log = stderr;       // progress lines (nullptr: none)
  std::FILE* findings = stdout;  // one line per finding (nullptr: none)
  std::chrono::milliseconds progress_every{5'000};
  // Called with each input just before it is sent (a benchmark records the sizes); may be empty.
  std::function<void(std::string_view input)> on_input{};
  CorpusFolder corpus_folder{};  // where kept inputs are saved and others' read back (or none)
  WorkerLink worker{};  // the campaign this loop is a worker of (its limits then apply), or none
  // Coverage-guided (--coverage afl): the size of the edge map each worker creates for its target
  // (AFL_MAP_SIZE or AFL's default); 0: blind. See coverage_campaign.hpp.
  std::size_t coverage_map_size = 0;
  // The worker's map, its target started with its environment(); set by run_workers.
  CoverageMap* coverage = nullptr;
};

struct CampaignFinding {
  Finding finding;
  std::string id;          // finding_id()
  std::string file;        // the replay scenario written
  bool reproduced = true;  // it failed again on a fresh target (else left unminimised)
};

struct CampaignResult {
  std::uint64_t execs = 0;
  double seconds = 0;           // of the loop, minimisation included
  double minimise_seconds = 0;  // of `seconds`, spent settling findings (workers: their mean)
  std::size_t workers = 1;
  std::size_t restarts = 0;
  std::size_t corpus = 0;
  std::size_t imported = 0;  // inputs read back from the corpus folder (other workers', runs')
  std::uint64_t probes = 0;  // protocol mode: liveness probes run in the loop
  std::size_t edges = 0;     // coverage-guided: distinct edges the target reached
  std::vector<CampaignFinding> findings;  // distinct (by id)
  bool interrupted = false;
  std::optional<std::string> error{};  // the target could not be restarted, a file not written
  // Of fuzzing alone (minimising excluded); 0 only when nothing ran.
  [[nodiscard]] double execs_per_second() const {
    return blackbox::execs_per_second(execs, seconds - minimise_seconds);
  }
};

// The built-in minimal seeds of `service`, so a campaign works without scenario seeds.
[[nodiscard]] std::vector<std::string> builtin_seeds(std::string_view service);

// The end of worker `worker`'s loop (either loop: blind or coverage-guided): waits for its corpus
// writer (whose error becomes result.error unless it has one), reports its last numbers to
// `shared` (corpus entries, restarts, edges), ends the campaign, and fills result's seconds
// (since `start`), minimise_seconds, imported, restarts and corpus.
void finish_loop(CampaignResult& result, CorpusSync& sync, SharedCampaign& shared,
                 std::size_t worker, std::chrono::steady_clock::time_point start,
                 std::size_t corpus, std::size_t restarts, std::size_t edges);

// Runs the loop against `target` until the duration, max_runs, a finding (without keep_going),
// max_findings, stop_fd or an error. Writes each distinct finding to out_dir as it is found, and
// each kept input to the corpus folder. As a worker (options.worker), the shared campaign's
// limits apply instead of the options' and its end ends the loop; the loop's own end ends it.
// The caller stops the target afterwards.
[[nodiscard]] CampaignResult run_campaign(LiveTarget& target, const CampaignOptions& options);

}  // namespace sockspec::blackbox
