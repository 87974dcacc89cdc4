// ProbeSchedule: the liveness probe of a protocol campaign, every N inputs and after a close.
#include "harness/blackbox/probe_schedule.hpp"

namespace sockspec::blackbox {

Judgement ProbeSchedule::after(std::string_view input, const Exchanged& e, Judgement j,
                               LiveTarget& target, const ExchangeOptions& options) {
  since_probe_.emplace_back(input);
  if (j.kind == FindingKind::oracle) j.kind = FindingKind::unresponsive;
  if (j.kind) return j;
  if (since_probe_.size() < every_ && !e.server_ended) return j;
  ++probes_;
  j = probe_judgement(target, options);
  if (!j.kind) since_probe_.clear();
  return j;
}

}  // namespace sockspec::blackbox
