// run_coverage_campaign: sequences, the map around each message, states from reply classes.
#include "harness/blackbox/coverage_campaign.hpp"

#include <fmt/format.h>

#include <deque>
#include <optional>
#include <unordered_set>

#include "harness/blackbox/campaign_finding.hpp"
#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/judge.hpp"
#include "harness/blackbox/probe_schedule.hpp"
#include "harness/blackbox/sequence_corpus.hpp"
#include "harness/blackbox/target_idle.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;
// The clock, the stop descriptor and progress are looked at every this many sequences.
constexpr std::uint64_t kCheckEvery = 8;
// One sequence in this many grows by a message instead of mutating its last one.
constexpr std::uint64_t kAppendOneIn = 3;
constexpr std::size_t kCodeBytes = 8;
// How many sequences back a death is looked for (RecentSequences).
constexpr std::size_t kRecentSequences = 8;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A reply's class, as a response code: its first word (up to kCodeBytes bytes before a space,
// CR or LF: "+OK", "-ERR", "HTTP/1.1"), hashed, and whether the connection ended. Never 0 (0 is
// the state before the first message).
std::uint32_t reply_class(const Exchanged& e) {
  std::uint32_t h = 2166136261U;
  for (std::size_t i = 0; i < e.reply.size() && i < kCodeBytes; ++i) {
    const char c = e.reply[i];
    if (c == ' ' || c == '\r' || c == '\n') break;
    h = (h ^ static_cast<unsigned char>(c)) * 16777619U;
  }
  return (h << 1 | static_cast<std::uint32_t>(e.closed)) | 0x80000000U;
}

// Whether reply classes make states: a server's own protocol (no model) and the line service
// answer with codes; an echo's reply is the input again (every mutant a "state").
bool replies_make_states(const Exchange& exchange, std::string_view service) {
  return !exchange.has_model() || service == "line";
}

// A state transition: the class of the reply before and of this one (AFLNet's response codes).
std::uint64_t transition(std::uint32_t before, std::uint32_t now) {
  return static_cast<std::uint64_t>(before) << 32 | now;
}

// A new sequence from `corpus`: an entry with its last message mutated, or with one more (a
// message of another entry, as it is half the time: whole messages are how a protocol's states
// are reached; else mutated).
Messages next_input(const SequenceCorpus& corpus, Mutator& mutator) {
  Messages input = corpus.pick(mutator.rng());
  const std::string& other = corpus.any_message(mutator.rng());
  if (input.size() < kMaxSequence && mutator.rng()() % kAppendOneIn == 0) {
    const std::string& base = corpus.any_message(mutator.rng());
    input.push_back(mutator.rng()() % 2 == 0 ? base : mutator.mutate(base, other));
  } else {
    input.back() = mutator.mutate(input.back(), other);
  }
  return input;
}

// The sequences sent last, newest first: a death may show sequences after the one that caused
// it (a sanitizer symbolizing its report keeps the target alive, asleep, and serving).
class RecentSequences {
 public:
  void add(const Messages& m) {
    if (ring_.size() == kRecentSequences) ring_.pop_back();
    ring_.push_front(m);
  }
  // The newest sequence that kills a fresh target again (replay() on each, newest first), or
  // `fallback` when none does (settle_finding then says it did not fail again).
  [[nodiscard]] Messages culprit(LiveTarget& target, const ExchangeOptions& options,
                                 const Messages& fallback) const {
    for (const Messages& m : ring_) {
      const Replayed r = replay(m, target, options);
      if (r.error) break;
      if (r.judgement.kind == FindingKind::died || target.ended(kDeathGrace)) return m;
    }
    return fallback;
  }

 private:
  std::deque<Messages> ring_;
};

}  // namespace

CampaignResult run_coverage_campaign(LiveTarget& target, const CampaignOptions& o) {
  CoverageMap& map = *o.coverage;
  CampaignResult result;
  Mutator mutator(o.seed, o.max_len, o.dictionary);
  SequenceCorpus corpus(o.corpus_capacity);
  if (!o.exchange.protocol || o.seeds.empty()) {
    for (const std::string& s : builtin_seeds(o.exchange.service)) corpus.add_seed({s});
  }
  for (const std::string& s : o.seeds) corpus.add_seed({s.substr(0, o.max_len)});
  ExchangeOptions exchange_options = o.exchange;
  exchange_options.max_history = kMaxSequence + 1;  // a sequence never spans two connections
  const auto settle_limit =
      std::chrono::duration_cast<std::chrono::microseconds>(o.exchange.reply_timeout);
  bool settled = true;
  exchange_options.before_read = [&] { settled = wait_settled(target.pid(), map, settle_limit); };
  Exchange exchange(exchange_options);
  const bool with_states = replies_make_states(exchange, o.exchange.service);
  std::unordered_set<std::uint64_t> states;
  bool attached = false;
  RecentSequences recent;
  std::optional<ProbeSchedule> probes;  // a server's own protocol: its default exchange
  if (o.exchange.protocol) probes.emplace(o.probe_every);
  const auto start = Clock::now();
  // The campaign's limits and numbers: the workers' shared one, or one of its own.
  CampaignSeat seat(o.worker, {o.max_runs, o.max_findings, o.keep_going}, start);
  SharedCampaign& shared = seat.shared();
  const std::size_t me = seat.index();
  CorpusSync sync(o.corpus_folder, o.max_len, start);
  const auto deadline = start + o.duration;
  auto next_progress = start + o.progress_every;
  const auto report = [&] {
    shared.report(me, result.execs, corpus.size(), target.restarts(), map.edges_seen());
  };

  for (std::uint64_t sequences = 0;; ++sequences) {
    if (!shared.claim_run()) break;
    if (sequences % kCheckEvery == 0) {
      const auto now = Clock::now();
      if (now >= deadline) break;
      if (stop_requested(o.exchange.stop_fd)) {
        result.interrupted = true;
        break;
      }
      report();
      if (net::Status s = sync.poll(now, o.log); !s) {
        result.error = s.error().message;
        break;
      }
      if (now >= next_progress && o.worker.shared == nullptr) {  // workers: run_workers prints
        print_status(o.log, "at", shared.status());
        next_progress = now + o.progress_every;
      }
    }
    std::optional<Messages> imported = sync.next();  // another worker's or run's sequence
    const Messages input = imported ? std::move(*imported) : next_input(corpus, mutator);
    exchange.reset();  // a fresh connection: the sequence from its first message
    std::uint32_t state = 0;
    std::size_t keep = 0;  // the sequence up to this many messages is kept
    Judgement j;
    for (std::size_t i = 0; i < input.size() && !j.kind; ++i) {
      map.clear();
      settled = true;
      if (o.on_input) o.on_input(input[i]);
      const Exchanged e = exchange.run(target.endpoint(), input[i]);
      if (e.verdict == Verdict::stopped) {
        result.interrupted = true;
        break;
      }
      ++result.execs;
      if (!attached) {
        attached = map.touched();
        if (!attached && result.execs >= kAttachWithin) {
          result.error = kNoCoverageError;
          break;
        }
      }
      const CoverageGain gain = map.merge();  // before a probe adds its own edges
      j = judge(e, target, exchange.has_model());
      if (!j.kind && !settled) {  // no reply and never idle: a death shows here
        if (const auto end = target.ended(kDeathGrace)) j = {FindingKind::died, end->describe()};
      }
      if (probes) j = probes->after(input[i], e, std::move(j), target, o.exchange);
      if (j.kind || e.verdict != Verdict::ok) break;
      const std::uint32_t now = reply_class(e);
      if (gain.any() || (with_states && states.insert(transition(state, now)).second)) keep = i + 1;
      state = now;
      if (e.closed) break;  // the model's close: the rest would go to another connection
    }
    if (result.interrupted || result.error) break;
    recent.add(exchange.history());
    if (!j.kind) {
      if (const auto end = target.ended()) j = {FindingKind::died, end->describe()};
    }
    if (!j.kind) {
      if (keep == 0) continue;
      Messages kept(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(keep));
      if (corpus.add(kept, mutator.rng()) && !imported) {  // (an import is in the folder)
        if (net::Status s = sync.kept(kept); !s) {
          result.error = s.error().message;
          break;
        }
      }
      continue;
    }
    if (!shared.may_settle()) break;  // another worker's finding ends the campaign

    Messages messages = exchange.history();
    if (*j.kind == FindingKind::died && !target.adopted()) {
      messages = recent.culprit(target, o.exchange, messages);
    }
    if (probes && *j.kind == FindingKind::unresponsive) messages = probes->since_probe();
    Finding f =
        campaign_finding(j, std::move(messages), target, o, result.execs, seconds_since(start));
    net::Status kept = keep_finding(std::move(f), target, o, shared, me, result);
    exchange.reset();
    if (probes) probes->reset();
    if (!kept) {
      result.error = kept.error().message;
      break;
    }
    if (!o.keep_going) break;
    if (shared.stopping()) break;  // max_findings
  }
  finish_loop(result, sync, shared, me, start, corpus.size(), target.restarts(), map.edges_seen());
  result.edges = map.edges_seen();
  if (probes) result.probes = probes->probes();
  return result;
}

}  // namespace sockspec::blackbox
