// When a protocol campaign (protocol.hpp) probes its target, and which inputs a failed probe
// blames: those sent since the last probe that passed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/blackbox/judge.hpp"

namespace sockspec::blackbox {

// Not thread-safe.
class ProbeSchedule {
 public:
  explicit ProbeSchedule(std::size_t every) : every_(every == 0 ? 1 : every) {}

  // After `input` was sent (answered as `e`, judged `j` by judge()): records it, then probes
  // when `every` inputs were sent since the last probe or the server ended a connection
  // (e.server_ended). Returns `j`, or the failed probe's judgement (probe_judgement); a refused
  // connect, which judge() calls `oracle`, is `unresponsive` here (there is no model).
  [[nodiscard]] Judgement after(std::string_view input, const Exchanged& e, Judgement j,
                                LiveTarget& target, const ExchangeOptions& options);
  // The inputs sent since the last probe that passed, in order (at most `every`).
  [[nodiscard]] const Messages& since_probe() const { return since_probe_; }
  // Forgets them (the target was restarted).
  void reset() { since_probe_.clear(); }
  [[nodiscard]] std::uint64_t probes() const { return probes_; }

 private:
  std::size_t every_;
  Messages since_probe_;
  std::uint64_t probes_ = 0;
};

}  // namespace sockspec::blackbox
