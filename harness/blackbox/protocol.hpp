// Fuzzing a server in its own protocol (`sockspec fuzz --target PROFILE` whose profile declares
// `exchanges`, see harness/target/exchanges.hpp): the greeting said on every fuzz connection (the
// banner read, the hello sent and its reply read), the default exchange as the liveness probe,
// and the seeds and dictionary taken from the declared requests. There is no reply model: a
// fuzz input is judged on liveness only; the probe says whether the server still answers its
// own protocol.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/blackbox/finding.hpp"
#include "harness/blackbox/mutator.hpp"
#include "harness/engine/match.hpp"
#include "harness/scenario/model.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// A profile's exchanges over one transport, ready to use on the wire.
struct Protocol {
  std::string name;  // the profile's name: findings are named after it
  scenario::Transport transport = scenario::Transport::tcp;
  std::optional<engine::Expected> banner{};
  std::optional<std::string> hello{};
  std::optional<engine::Expected> hello_reply{};
  std::string probe_name;  // the default exchange's name ("ping")
  std::string probe_request;
  engine::Expected probe_reply{};
  bool keep_alive = true;  // several requests may follow one another on one connection
  ProtocolSteps steps{};   // the banner and the hello as a finding's scenario writes them
  std::vector<std::string> requests;     // every declared request, rendered (repeat: once)
  std::optional<std::size_t> closing{};  // the closing exchange's index in `requests`, if any
};

// The protocol of `profile` over `transport`. Errors (one line, naming the profile): it declares
// no exchanges over that transport; a request or reply cannot be rendered.
[[nodiscard]] net::Result<Protocol> make_protocol(const target::Profile& profile,
                                                  scenario::Transport transport);

// The seeds of a protocol campaign: each declared request (in order, distinct, cut to
// `max_len`), then, over TCP with keep-alive, the sequence of requests as one input (the closing
// request last, so the others are all read; a request that would make it longer than `max_len`
// left out).
[[nodiscard]] std::vector<std::string> protocol_seeds(const Protocol& protocol,
                                                      std::size_t max_len);

// A dictionary from the requests' tokens: the pieces between spaces, CR/LF and punctuation, the
// separators themselves, the fields behind a one- or two-byte (big-endian) length prefix that
// matches the bytes after it, and every whole request of at most kMaxToken bytes (a message
// to stack onto another). Distinct, in order of first appearance, at most kMaxTokens.
inline constexpr std::size_t kMaxToken = 32;
inline constexpr std::size_t kMaxTokens = 64;
[[nodiscard]] Dictionary protocol_dictionary(const std::vector<std::string>& requests);

}  // namespace sockspec::blackbox
