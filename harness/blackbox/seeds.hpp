// Seeds and dictionary entries for black-box fuzzing, taken from the scenario pack: the bytes its
// steps send to a service, so the fuzzer starts from inputs that reach deep into the protocol.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/blackbox/mutator.hpp"
#include "harness/scenario/model.hpp"

namespace sockspec::blackbox {

struct Seeds {
  std::vector<std::string> inputs;  // distinct, each 1..max_size bytes, in pack order
  Dictionary tokens;                // distinct short pieces (command words, separators)
};

// From every scenario in `pack` that applies to `service` over `transport` (its needs name the
// service, or it names none and needs the transport) and plays the server role: the data of
// each send / send-to step (inside repeat and parallel too). Text with placeholders is rendered
// with plausible values ({client} 0, {seq} 0, {peer} 127.0.0.1:40000, target.* 127.0.0.1:7);
// patterns are generated and cut to `max_size`; data longer than `max_size` is cut. For `line`,
// the tokens are the command words, " ", "\r", "\n", "\r\n" and a 4097-byte run is NOT added
// (the mutator's repeat runs find lengths). Never fails: data that cannot be rendered is skipped.
[[nodiscard]] Seeds seeds_from_scenarios(std::span<const scenario::Scenario> pack,
                                         scenario::Transport transport, std::string_view service,
                                         std::size_t max_size);

}  // namespace sockspec::blackbox
