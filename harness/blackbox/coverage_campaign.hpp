// The coverage-guided fuzz loop (`sockspec fuzz --coverage afl`): inputs are message sequences
// sent on one connection to a target built with AFL++'s instrumentation; the target's edge map
// (coverage_map.hpp) is cleared before each message and read once the target has processed it.
#pragma once

#include "harness/blackbox/campaign.hpp"

namespace sockspec::blackbox {

// The most messages a sequence holds (prefix replayed, then its last message mutated).
inline constexpr std::size_t kMaxSequence = 8;
// After this many messages the map must have been written to once, or the target is not
// instrumented (or not attached): the campaign ends with kNoCoverageError.
inline constexpr std::uint64_t kAttachWithin = 16;
inline constexpr const char* kNoCoverageError =
    "the target wrote no coverage: is it built with afl-clang-fast?";

// As run_campaign, with options.coverage set (and options.exchange.mode persistent): picks a
// corpus sequence, replays its prefix on a fresh connection and sends a mutant of its last
// message, or the whole sequence plus one more message (another entry's message, as it is or
// mutated with the dictionary). Where no reply model says when a message is answered, waits
// until the target's threads all sleep and its map stopped changing (wait_settled), at most
// the reply timeout. A message that reaches new edges or hit-count buckets keeps the sequence
// up to it; so does one whose reply class (its first word) follows the previous message's class
// for the first time (a new state transition, as AFLNet's response codes; without a model and
// for the line service only). A death is pinned on the newest of the last few sequences that
// kills a fresh target again (a sanitizer's report can take longer than the sequence that
// caused it). In a server's own protocol the probe runs as in run_campaign (ProbeSchedule), its
// edges never counted. result.edges: distinct edges reached.
[[nodiscard]] CampaignResult run_coverage_campaign(LiveTarget& target,
                                                   const CampaignOptions& options);

}  // namespace sockspec::blackbox
