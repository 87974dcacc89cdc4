// judge() and replay(): verdicts of exchanges become findings.
#include "harness/blackbox/judge.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>

#include "harness/blackbox/protocol_io.hpp"
#include "targets/net/io.hpp"

namespace sockspec::blackbox {
namespace {

// A close by a service without a model: seen dead only if it dies almost at once.
constexpr std::chrono::milliseconds kModelFreeGrace{20};
// After the last replayed message (paid by every replay that passes).
constexpr std::chrono::milliseconds kReplayGrace{20};

}  // namespace

Judgement judge(const Exchanged& e, LiveTarget& target, bool has_model) {
  if (e.verdict == Verdict::ok || e.verdict == Verdict::stopped) return {};
  const bool model_free_close = e.verdict == Verdict::gone && !has_model && !e.at_connect;
  // Only a closed connection or a refused one hints at a death worth waiting for; a wrong
  // answer on an open connection or a silence is checked without waiting.
  std::chrono::milliseconds grace{0};
  if (e.verdict == Verdict::gone || e.cut_short)
    grace = model_free_close ? kModelFreeGrace : kDeathGrace;
  if (const auto end = target.ended(grace)) {
    return {FindingKind::died, fmt::format("{} (seen as: {})", end->describe(), e.detail)};
  }
  switch (e.verdict) {
    case Verdict::hang:
      return {FindingKind::hang, e.detail};
    case Verdict::broken:
      return {FindingKind::oracle, e.detail};
    case Verdict::gone:
      if (e.at_connect && target.adopted()) {
        return {FindingKind::died, fmt::format("the server is gone: {}", e.detail)};
      }
      if (model_free_close) return {};
      return {FindingKind::oracle, e.detail};
    case Verdict::ok:
    case Verdict::stopped:
      break;
  }
  return {};
}

bool stop_requested(int stop_fd) {
  return stop_fd >= 0 && net::wait_for(stop_fd, POLLIN, -1, std::chrono::milliseconds(0)).outcome ==
                             net::WaitOutcome::kReady;
}

Replayed replay(const Messages& messages, LiveTarget& target, ExchangeOptions options) {
  if (!target.adopted()) {
    if (net::Status s = target.restart(); !s) return {{}, s.error().message};
  }
  options.max_history = std::max<std::size_t>(messages.size(), 1);
  options.datagram_history = options.max_history;
  options.silence_sample = 1;  // replays are few: look for a stray reply after every datagram
  Exchange exchange(options);
  for (const std::string& message : messages) {
    const Exchanged e = exchange.run(target.endpoint(), message);
    if (e.verdict == Verdict::stopped) return {};
    if (Judgement j = judge(e, target, exchange.has_model()); j.kind) return {std::move(j), {}};
  }
  if (const auto end = target.ended(kReplayGrace)) {
    return {{FindingKind::died, end->describe()}, {}};
  }
  if (options.protocol) return {probe_judgement(target, options), {}};
  return {};
}

Judgement probe_judgement(LiveTarget& target, const ExchangeOptions& options) {
  ProtocolStatus p;
  for (int attempt = 0; attempt < kProbeAttempts; ++attempt) {
    p = probe(target.endpoint(), *options.protocol, options.connect_timeout, options.reply_timeout,
              options.stop_fd);
    if (p.state != ProtocolStatus::State::failed) return {};
  }
  if (const auto end = target.ended(kDeathGrace)) {
    return {FindingKind::died, fmt::format("{} (seen as: {})", end->describe(), p.detail)};
  }
  return {FindingKind::unresponsive, p.detail};
}

}  // namespace sockspec::blackbox
