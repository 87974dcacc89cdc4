// run_campaign: the fuzz loop, progress lines and findings as they come.
#include "harness/blackbox/campaign.hpp"

#include <fmt/format.h>

#include "harness/blackbox/campaign_finding.hpp"
#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/corpus.hpp"
#include "harness/blackbox/coverage_campaign.hpp"
#include "harness/blackbox/judge.hpp"
#include "harness/blackbox/probe_schedule.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;
// The clock, the stop descriptor and the target's process are looked at every this many execs.
constexpr std::uint64_t kCheckEvery = 16;
constexpr std::uint64_t kLivenessEvery = 64;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::vector<std::string> builtin_seeds(std::string_view service) {
  if (service == "line") {
    return {"PING\n", "ECHO hello\n", "LEN abc\r\n", "WHOAMI\n",
            "TIME\n", "QUIT\n",       "\n",          "NOPE\n"};
  }
  return {"a", "hello\n", std::string(64, 'A'), std::string("\x00\xff\r\n", 4)};
}

void finish_loop(CampaignResult& result, CorpusSync& sync, SharedCampaign& shared,
                 std::size_t worker, Clock::time_point start, std::size_t corpus,
                 std::size_t restarts, std::size_t edges) {
  if (net::Status s = sync.finish(); !s && !result.error) result.error = s.error().message;
  shared.report(worker, result.execs, corpus, restarts, edges);
  shared.stop();  // a worker's end is its campaign's
  result.seconds = seconds_since(start);
  result.minimise_seconds = shared.minimise_seconds(worker);
  result.imported = sync.imported();
  result.restarts = restarts;
  result.corpus = corpus;
}

CampaignResult run_campaign(LiveTarget& target, const CampaignOptions& o) {
  if (o.coverage != nullptr) return run_coverage_campaign(target, o);
  CampaignResult result;
  Mutator mutator(o.seed, o.max_len, o.dictionary);
  Corpus corpus(o.corpus_capacity);
  if (!o.exchange.protocol || o.seeds.empty()) {
    for (const std::string& s : builtin_seeds(o.exchange.service)) corpus.add_seed(s, o.max_len);
  }
  std::optional<ProbeSchedule> probes;  // protocol mode
  if (o.exchange.protocol) probes.emplace(o.probe_every);
  for (const std::string& s : o.seeds) corpus.add_seed(s, o.max_len);
  Exchange exchange(o.exchange);
  const auto start = Clock::now();
  // The campaign's limits and numbers: the workers' shared one, or one of its own.
  CampaignSeat seat(o.worker, {o.max_runs, o.max_findings, o.keep_going}, start);
  SharedCampaign& shared = seat.shared();
  const std::size_t me = seat.index();
  CorpusSync sync(o.corpus_folder, o.max_len, start);
  const auto deadline = start + o.duration;
  auto next_progress = start + o.progress_every;
  const auto progress = [&](std::string_view what) {
    if (o.log == nullptr || o.worker.shared != nullptr) return;  // workers: run_workers prints
    print_status(o.log, what, shared.status());
  };

  for (;;) {
    if (!shared.claim_run()) break;
    if (result.execs % kCheckEvery == 0) {
      const auto now = Clock::now();
      if (now >= deadline) break;
      if (stop_requested(o.exchange.stop_fd)) {
        result.interrupted = true;
        break;
      }
      shared.report(me, result.execs, corpus.size(), target.restarts());
      if (net::Status s = sync.poll(now, o.log); !s) {
        result.error = s.error().message;
        break;
      }
      if (now >= next_progress) {
        progress("at");
        next_progress = now + o.progress_every;
      }
    }
    const std::string& base = corpus.pick(mutator.rng());
    const std::string& other = corpus.pick(mutator.rng());
    const std::optional<Messages> imported = sync.next();  // another worker's or run's input
    const std::string input =
        imported ? joined(*imported).substr(0, o.max_len) : mutator.mutate(base, other);
    std::vector<std::size_t> segments;
    if (o.exchange.mode != Mode::datagram) segments = mutator.segments(input.size());
    if (o.on_input) o.on_input(input);
    const Exchanged e = exchange.run(target.endpoint(), input, segments);
    if (e.verdict == Verdict::stopped) {
      result.interrupted = true;
      break;
    }
    ++result.execs;
    Judgement j = judge(e, target, exchange.has_model());
    if (!j.kind && result.execs % kLivenessEvery == 0) {
      if (const auto end = target.ended()) j = {FindingKind::died, end->describe()};
    }
    if (probes) j = probes->after(input, e, std::move(j), target, o.exchange);
    if (!j.kind) {
      if (e.verdict == Verdict::ok &&
          corpus.consider(input, behaviour_key(e, input.size()), mutator.rng()) && !imported) {
        if (net::Status s = sync.kept(Messages{input}); !s) {  // (an import is in the folder)
          result.error = s.error().message;
          break;
        }
      }
      continue;
    }
    if (!shared.may_settle()) break;  // another worker's finding ends the campaign

    Messages messages = exchange.history();
    if (probes && *j.kind == FindingKind::unresponsive) messages = probes->since_probe();
    Finding f =
        campaign_finding(j, std::move(messages), target, o, result.execs, seconds_since(start));
    const bool server_gone = target.adopted() && f.kind == FindingKind::died;
    net::Status kept = keep_finding(std::move(f), target, o, shared, me, result);
    exchange.reset();
    if (probes) probes->reset();
    if (!kept) {
      result.error = kept.error().message;
      break;
    }
    if (server_gone || !o.keep_going) break;
    if (shared.stopping()) break;  // max_findings
  }
  finish_loop(result, sync, shared, me, start, corpus.size(), target.restarts(), 0);
  if (probes) result.probes = probes->probes();
  return result;
}

}  // namespace sockspec::blackbox
