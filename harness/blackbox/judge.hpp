// Judging an exchange as a finding (died, hang, oracle) and replaying a finding's messages on a
// fresh target, which is how minimisation asks "does this smaller input still fail?".
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "harness/blackbox/exchange.hpp"
#include "harness/blackbox/finding.hpp"
#include "harness/blackbox/live_target.hpp"

namespace sockspec::blackbox {

// How long a target that closed or reset a connection may take to be seen dead (a crashing
// process closes its sockets a moment before its exit can be reaped).
inline constexpr std::chrono::milliseconds kDeathGrace{300};

struct Judgement {
  std::optional<FindingKind> kind{};  // empty: no finding
  std::string detail{};               // one line: "killed by SIGSEGV (after: connection reset...)"
};

// The finding `e` makes, looking at `target` for a death first: any verdict but ok may be a
// death (a hang too: a dead UDP server answers nothing). A refused connect to a server we did
// not start counts as its death. Without a model, a close is the service's business, not a
// finding (only a death or a hang is).
[[nodiscard]] Judgement judge(const Exchanged& e, LiveTarget& target, bool has_model);

// Whether `stop_fd` (-1: none) is readable: the user asked to stop (SIGINT, SIGTERM).
[[nodiscard]] bool stop_requested(int stop_fd);

struct Replayed {
  Judgement judgement;
  std::optional<std::string> error{};  // the fresh target could not be started
};

// Protocol mode: the probe (protocol_io.hpp) against `target`, tried again on a new connection
// when it fails (a busy server, a loaded machine may miss one reply timeout); failing
// kProbeAttempts times in a row is a finding: `unresponsive`, or `died` when the target's
// process ended meanwhile.
inline constexpr int kProbeAttempts = 2;
[[nodiscard]] Judgement probe_judgement(LiveTarget& target, const ExchangeOptions& options);

// Restarts `target` (unless adopted) and sends `messages` in order, each in one piece, over one
// connection (persistent), one connection each (per-connection) or as datagrams; stops at the
// first finding. After the last message a death gets a short grace to show; in protocol mode
// the probe follows (probe_judgement).
[[nodiscard]] Replayed replay(const Messages& messages, LiveTarget& target,
                              ExchangeOptions options);

}  // namespace sockspec::blackbox
