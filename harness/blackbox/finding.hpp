// A black-box fuzz finding, and the conformance scenario that replays it (`sockspec run`), so a
// finding becomes a regression test for any target.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/blackbox/minimise.hpp"
#include "harness/scenario/model.hpp"

namespace sockspec::blackbox {

enum class Mode { persistent, per_connection, datagram };
enum class FindingKind {
  died,    // the target exited or was killed by a signal
  hang,    // it stopped answering (no owed reply in time) or accepting (connect timed out)
  oracle,  // it answered wrongly: the reply differs from the model's
  // Protocol mode: it no longer answers its own protocol (the profile's default exchange, on a
  // fresh connection) correctly: a wrong reply, none in time, a refused connect.
  unresponsive,
};

// Protocol mode (protocol.hpp): how a replay talks to the server in its own protocol, as data a
// scenario writes (placeholders rendered, `file:` data read). The probe is an `exchange` step.
struct ProtocolSteps {
  std::optional<scenario::Match> banner{};       // TCP: read first on every connection
  std::optional<scenario::DataSpec> hello{};     // TCP: sent next, once per connection
  std::optional<scenario::Match> hello_reply{};  // and its reply, read
  bool operator==(const ProtocolSteps&) const = default;
};

[[nodiscard]] std::string_view mode_name(Mode m);  // "persistent", "per-connection", "datagram"
// "died", "hang", "oracle", "unresponsive"
[[nodiscard]] std::string_view kind_name(FindingKind k);

struct Finding {
  FindingKind kind = FindingKind::died;
  Mode mode = Mode::persistent;
  std::string service;  // "echo"; protocol mode: the profile's name
  // Protocol mode: the server was fuzzed in its own protocol (no model); the replay greets it and
  // probes it with the profile's default exchange.
  std::optional<ProtocolSteps> protocol{};
  scenario::Family family = scenario::Family::ipv4;
  Messages messages;  // minimised when `minimised`
  bool minimised = false;
  std::string detail;       // one line: "killed by SIGABRT", "no reply within 1s", "byte 3: ..."
  std::string target;       // the profile name (or the --cmd line)
  std::string stderr_tail;  // the target's last stderr lines, for the report (e.g. ASan's)
  std::uint64_t exec = 0;   // the execution that found it (1-based)
  double seconds = 0;       // since the campaign started
  // Its whole sanitizer report, if any (written beside its scenario as <id>.log).
  std::string sanitizer_report;
};

// A stable id from the finding's kind, service and messages: "fuzz/echo-died-3f9a2c1b".
[[nodiscard]] std::string finding_id(const Finding& f);

// The scenario that replays `f`: passes on a correct server, fails on one with this bug.
// Requirements: the service's (echo SVC-1, discard SVC-2, line SVC-5, daytime SVC-3, chargen
// SVC-4; plus STR-1 for a TCP echo oracle finding). needs: [transport, service]; families: the
// finding's family only; tags: [fuzz]. Steps:
//   persistent:     connect; per message: send it (hex unless printable text), expect the model's
//                   reply (echo: same-as-sent) if any; then a second connection sends a short
//                   probe and expects its reply (the target still serves), and expect-alive.
//   per-connection: per message: connect, send, shutdown write, expect the reply, expect-eof,
//                   close; then the probe and expect-alive.
//   datagram:       bind; per message: send-to, expect-datagram with the model's reply (or
//                   expect-no-datagram for discard); then the probe, and expect-alive.
// Services without a model expect nothing but the probe and expect-alive.
// Protocol mode (f.protocol): requirement ACC-2 (TCP) or DGR-1 (UDP), needs [transport,
// exchange]; each connection says the greeting (expect the banner, send the hello, expect its
// reply), the messages are sent with no reply expected, then the probe is an `exchange` step
// (the profile's default exchange) on a fresh connection "probe" (UDP: the same socket), and
// expect-alive. So it replays against any profile of that protocol (`sockspec run F --target P`).
[[nodiscard]] scenario::Scenario finding_scenario(const Finding& f);

// The YAML file of a finding: a comment block (first line: what it checks; then how it was
// found: target, mode, exec, seconds, detail, and the stderr tail, each line prefixed "# "),
// then to_yaml(finding_scenario(f)). Loads with load_scenario_text().
[[nodiscard]] std::string finding_yaml(const Finding& f);

}  // namespace sockspec::blackbox
