// Target profiles: how to start, recognise as ready, stop and judge one program under test, as
// loaded from YAML (targets/profiles/*.yaml), with every problem reported as "file:line:col:
// message".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/target/exchanges.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

using scenario::Duration;
using scenario::SourceLocation;
using namespace std::chrono_literals;

// How the harness knows a started server serves:
//  ready-line: it prints "READY <transport> <endpoint>" lines (docs/architecture.md) on stdout;
//  tcp-probe:  a TCP connect to {host}:{port} succeeds;
//  udp-probe:  a datagram (`probe`) sent to {host}:{port} is answered;
//  proc:       /proc shows the process group holding a listening TCP / bound UDP socket.
enum class Readiness { ready_line, tcp_probe, udp_probe, proc };

// Where {port} comes from when the harness starts a server:
//  ephemeral: {port} is 0; the real port is learnt through readiness (ready-line or proc);
//  pick:      the harness finds a port free for TCP and UDP and passes it (for programs that
//             cannot take 0; the only choice that works with the probes);
//  fixed:     `port: N` in the profile.
enum class PortPolicy { ephemeral, pick, fixed };

// A known deviation: a case whose scenario id matches `scenario` (a glob) or that checks
// `requirement` gets `verdict` instead of failing. Exactly one of scenario/requirement is set.
enum class ExpectedVerdict { xfail, skip };
struct Expectation {
  SourceLocation where;
  std::optional<std::string> scenario{};
  std::optional<std::string> requirement{};
  ExpectedVerdict verdict = ExpectedVerdict::xfail;
  std::string reason;
  // xfail only: text the failure must contain (its reason, step, expected, observed or detail),
  // so that a declared failure cannot hide a different one.
  std::optional<std::string> diagnostic{};
  bool operator==(const Expectation&) const = default;
};

struct StopSpec {
  std::string signal = "TERM";  // name without SIG: TERM, INT, KILL, HUP, QUIT, USR1, USR2
  Duration timeout = 2s;        // then SIGKILL to the whole process group
  bool operator==(const StopSpec&) const = default;
};

struct Profile {
  SourceLocation where;  // the file, line 1
  std::string name;      // "reference-epoll"
  scenario::Role role = scenario::Role::server;
  // argv template. Placeholders: {bindir} (the folder of the sockspec binary), {service},
  // {transports} ("tcp", "udp" or "tcp,udp"), {transport} (the first), {host} ("127.0.0.1",
  // "::1"), {port}, {family} ("ipv4"/"ipv6"); client role also {connect} ("host:port" of the
  // harness's listener, "[::1]:4000" for IPv6). An element that is exactly "{args}" is replaced
  // by the run-client step's args (client role; when absent they are appended).
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;  // added to the harness's environment
  Readiness ready = Readiness::ready_line;
  std::string probe = "\n";  // udp-probe: the datagram sent (bytes, escapes decoded)
  PortPolicy port = PortPolicy::ephemeral;
  std::uint16_t fixed_port = 0;  // PortPolicy::fixed
  Duration start_timeout = 5s;
  StopSpec stop{};
  std::vector<std::string> capabilities;  // docs/requirements.md's list; checked at load
  std::optional<std::uint32_t> max_clients{};
  // Its cases run one at a time: two instances cannot run at once (fixed files, a port of its
  // own choosing). A fixed `port: N` implies it.
  bool serial = false;
  std::vector<Expectation> expect;
  Exchanges exchanges{};  // how to talk to it in its own protocol (scenarios on exchanges)
  bool operator==(const Profile&) const = default;
};

// Reads and loads one profile file. Unknown keys, wrong types, unknown capabilities,
// requirement IDs and placeholders, and an argv without {port} under port: pick are errors; the
// error lists each top-level key's and each `expect` entry's first, one "file:line:col: message"
// per line (scenario::YamlReader).
[[nodiscard]] net::Result<Profile> load_profile_file(const std::string& path);
[[nodiscard]] net::Result<Profile> load_profile_text(std::string_view text,
                                                     const std::string& name);

// The profile of an ad hoc `--cmd '...'` target: the command split like a POSIX shell would
// (quotes, backslashes; no expansion), placeholders allowed, ready-line unless `ready` says
// otherwise, every capability declared (the user picks scenarios by flags).
[[nodiscard]] net::Result<Profile> profile_from_command(std::string_view command, Readiness ready);

[[nodiscard]] std::string_view readiness_name(Readiness r);
// Every readiness method's name, in the enum's order ("ready-line", "tcp-probe", ...)...
[[nodiscard]] std::span<const std::string_view> readiness_names();
// ...and the method of a name; nullopt for any other text.
[[nodiscard]] std::optional<Readiness> readiness_from_name(std::string_view name);

}  // namespace sockspec::target
