// run_campaign: the fuzz loop, progress lines and findings as they come.
#include "harness/blackbox/campaign.hpp"

#include <fmt/format.h>

#include <unordered_set>

#include "harness/blackbox/campaign_finding.hpp"
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
  std::unordered_set<std::string> seen_ids;
  const auto start = Clock::now();
  const auto deadline = start + o.duration;
  auto next_progress = start + o.progress_every;
  const auto progress = [&](std::string_view what) {
    if (o.log == nullptr) return;
    const double secs = seconds_since(start);
    fmt::print(o.log,
               "fuzz: {} {:.1f}s: {} execs ({:.0f}/s), corpus {}, findings {}, restarts {}\n", what,
               secs, result.execs, secs > 0 ? static_cast<double>(result.execs) / secs : 0.0,
               corpus.size(), result.findings.size(), target.restarts());
    std::fflush(o.log);
  };

  for (;;) {
    if (o.max_runs != 0 && result.execs >= o.max_runs) break;
    if (result.execs % kCheckEvery == 0) {
      const auto now = Clock::now();
      if (now >= deadline) break;
      if (stop_requested(o.exchange.stop_fd)) {
        result.interrupted = true;
        break;
      }
      if (now >= next_progress) {
        progress("at");
        next_progress = now + o.progress_every;
      }
    }
    const std::string& base = corpus.pick(mutator.rng());
    const std::string& other = corpus.pick(mutator.rng());
    const std::string input = mutator.mutate(base, other);
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
      if (e.verdict == Verdict::ok)
        (void)corpus.consider(input, behaviour_key(e, input.size()), mutator.rng());
      continue;
    }

    Finding f;
    f.kind = *j.kind;
    f.mode = o.exchange.mode;
    f.service = probes ? o.exchange.protocol->name : o.exchange.service;
    f.family = o.family;
    f.messages = exchange.history();
    if (probes) {
      f.protocol = o.exchange.protocol->steps;
      if (f.kind == FindingKind::unresponsive) f.messages = probes->since_probe();
    }
    f.detail = j.detail;
    f.target = target.name();
    f.stderr_tail = target.stderr_tail();
    f.exec = result.execs;
    f.seconds = seconds_since(start);
    const bool server_gone = target.adopted() && f.kind == FindingKind::died;
    net::Status kept = keep_finding(std::move(f), target, o, seen_ids, result);
    exchange.reset();
    if (probes) probes->reset();
    if (!kept) {
      result.error = kept.error().message;
      break;
    }
    if (server_gone || !o.keep_going) break;
    if (o.max_findings != 0 && result.findings.size() >= o.max_findings) break;
  }
  result.seconds = seconds_since(start);
  result.restarts = target.restarts();
  result.corpus = corpus.size();
  if (probes) result.probes = probes->probes();
  return result;
}

}  // namespace sockspec::blackbox
