// The in-memory scenario: what one conformance case does, step by step, as loaded from YAML.
//
// Field names follow the YAML keys ('-' becomes '_'; `for` is `for_`). Defaults are those a file
// gets when it leaves the key out. Every struct compares with a defaulted ==; source locations
// take no part in it, so a scenario re-serialised by to_yaml() and loaded again compares equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "harness/scenario/data.hpp"
#include "harness/scenario/units.hpp"

namespace sockspec::scenario {

using namespace std::chrono_literals;

// Where a step was written; 1-based line and column. Equal to any other location (see above).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  bool operator==(const SourceLocation&) const { return true; }
};

enum class Transport { tcp, udp };
enum class Family { ipv4, ipv6 };
enum class Role { server, client };
enum class ShutdownHow { write, read, both };

// Default endpoint names: the single implicit TCP connection, UDP socket and client-role listener.
inline constexpr const char* kTcpEndpoint = "c";
inline constexpr const char* kUdpEndpoint = "u";
inline constexpr const char* kListenEndpoint = "l";
// The instance the harness started for the case.
inline constexpr const char* kTarget = "target";
// Default waits: an expectation's `within`, a silence's `for`, a lifecycle step's `within`.
inline constexpr Duration kDefaultWithin = 2s;
inline constexpr Duration kDefaultSilence = 500ms;
inline constexpr Duration kDefaultClientWithin = 5s;

// What received bytes must be: exactly `data`, match `regex` (ECMAScript, whole payload),
// have `length` bytes, or equal everything sent on the endpoint so far (compared by digest).
struct Regex {
  std::string regex;
  bool operator==(const Regex&) const = default;
};
// `length: N`, or `length: N..M` (a reply of N to M bytes; over a stream, what arrives until M
// bytes or a short quiet once N are there).
struct Length {
  std::uint64_t length = 0;
  std::optional<std::uint64_t> max{};
  bool operator==(const Length&) const = default;
};
struct SameAsSent {
  bool operator==(const SameAsSent&) const = default;
};
using Match = std::variant<DataSpec, Regex, Length, SameAsSent>;

struct Step;

// Which exchange of the profile an `exchange` step uses (see harness/target/exchanges.hpp):
// the default (first) one, the per-client one (else the default), the large one, the closing
// one, the partial request, or one by its name.
enum class ExchangeUse { default_, per_client, large, closing, partial, named };
// What of it: request and reply, the request only, the reply only, or (partial) the rest of the
// default request and its reply.
enum class ExchangePart { both, request, reply, rest };

namespace step {
// TCP.
struct Connect {
  std::string as = kTcpEndpoint;
  std::optional<Family> family{};
  std::optional<std::string> local{};
  Duration within = kDefaultWithin;  // the handshake; a SYN retransmission takes 1 s (ACC-4)
  bool operator==(const Connect&) const = default;
};
struct Segments {
  SizeRange size{1, 1};
  DurationRange gap{};
  bool operator==(const Segments&) const = default;
};
struct Send {
  std::string on = kTcpEndpoint;
  DataSpec data{};
  std::optional<Segments> segments{};
  bool concurrent_read = false;
  // Offer the data instead of insisting: write what the peer takes, and stop without failing
  // once it has taken nothing for 1 s or this time has passed (STR-7: a peer that stops reading).
  std::optional<Duration> offer{};
  // The last segment carries the FIN (as Exchange::with_fin).
  bool with_fin = false;
  bool operator==(const Send&) const = default;
};
struct Expect {
  std::string on = kTcpEndpoint;
  Match match{};
  Duration within = kDefaultWithin;
  bool operator==(const Expect&) const = default;
};
struct ExpectEof {
  std::string on = kTcpEndpoint;
  Duration within = kDefaultWithin;
  bool operator==(const ExpectEof&) const = default;
};
struct ExpectReset {
  std::string on = kTcpEndpoint;
  Duration within = kDefaultWithin;
  bool operator==(const ExpectReset&) const = default;
};
struct ExpectSilence {
  std::string on = kTcpEndpoint;
  Duration for_ = kDefaultSilence;
  bool operator==(const ExpectSilence&) const = default;
};
struct Shutdown {
  std::string on = kTcpEndpoint;
  ShutdownHow how = ShutdownHow::write;
  bool operator==(const Shutdown&) const = default;
};
struct Abort {
  std::string on = kTcpEndpoint;
  bool operator==(const Abort&) const = default;
};  // RST: SO_LINGER 0, close
struct Close {
  std::string on = kTcpEndpoint;
  bool operator==(const Close&) const = default;
};
// UDP. `to`/`from`: "target" or an address template "127.0.0.2:{target.port}"; `from` also "any".
struct Bind {
  std::string as = kUdpEndpoint;
  std::optional<Family> family{};
  std::optional<std::string> local{};
  std::optional<std::uint16_t> port{};
  bool operator==(const Bind&) const = default;
};
struct SendTo {
  std::string on = kUdpEndpoint;
  std::string to = kTarget;
  DataSpec data{};
  bool operator==(const SendTo&) const = default;
};
struct ExpectDatagram {
  std::string on = kUdpEndpoint;
  Match match{};
  std::string from = kTarget;
  Duration within = kDefaultWithin;
  bool operator==(const ExpectDatagram&) const = default;
};
struct ExpectNoDatagram {
  std::string on = kUdpEndpoint;
  Duration for_ = kDefaultSilence;
  bool operator==(const ExpectNoDatagram&) const = default;
};
// Talks to the target in its own protocol, through the profile's exchanges (TCP: on a
// connection; UDP: on a bound socket, to `to`, the reply from `from`). `count` requests are
// written at once ({seq} = 0..count-1 for the items), then their replies read in order. With
// `offer` (TCP), the request is written repeatedly up to `size` bytes for as long as the peer
// takes it, nothing read (STR-7).
struct Exchange {
  std::optional<std::string> on{};  // default: "c" if open, else "u"
  ExchangeUse use = ExchangeUse::default_;
  std::string name{};  // ExchangeUse::named
  ExchangePart part = ExchangePart::both;
  std::uint32_t count = 1;
  std::optional<Duration> within{};  // default: the exchange's own
  std::optional<Duration> offer{};
  std::uint64_t size = 0;  // with offer
  std::string to = kTarget;
  std::string from = kTarget;
  // TCP: the request's last bytes and the FIN in one segment (held with TCP_CORK, then
  // shutdown(SHUT_WR)), so the server reads the request and the end of the stream together:
  // a server that closes on EOF before answering always shows it (STR-3).
  bool with_fin = false;
  bool operator==(const Exchange&) const = default;
};
// Structure. In `parallel`, each client has its own endpoints; {client} is 0..clients-1 and its
// seed is client_seed(scenario seed, client). {seq} counts repeat iterations from 0.
struct Repeat {
  std::uint32_t count = 1;
  std::vector<Step> steps;
  bool operator==(const Repeat&) const = default;
};
struct Parallel {
  std::uint32_t clients = 1;
  std::vector<Step> steps;
  bool operator==(const Parallel&) const = default;
};
// Inside `parallel` only: each client of the block waits here until every client has arrived
// (all are then at this point at once: connected, and served as far as their steps went). A
// client that fails before it releases the others; a wait longer than `within` fails.
inline constexpr Duration kDefaultBarrierWithin = 5s;
struct Barrier {
  Duration within = kDefaultBarrierWithin;
  bool operator==(const Barrier&) const = default;
};
// Lifecycle and observation. Instances: "target", or a name given by start-instance.
struct StartInstance {
  std::string as;
  bool operator==(const StartInstance&) const = default;
};
struct Stop {
  std::string instance = kTarget;
  std::string signal = "TERM";
  Duration within = kDefaultWithin;
  bool operator==(const Stop&) const = default;
};
struct Restart {
  std::string instance = kTarget;
  bool same_port = true;
  bool operator==(const Restart&) const = default;
};
struct ExpectAlive {
  std::string instance = kTarget;
  bool operator==(const ExpectAlive&) const = default;
};
struct ExpectExit {
  std::string instance = kTarget;
  std::optional<int> code{};
  std::optional<std::string> signal{};
  Duration within = kDefaultWithin;
  bool operator==(const ExpectExit&) const = default;
};
struct ExpectEndpoint {
  std::string instance = kTarget;
  bool non_zero = false;
  std::optional<std::string> distinct_from{};
  bool in_ephemeral_range = false;
  // /proc shows each socket bound to the address the target was asked for ({host}), not to the
  // wildcard (EPH-5: bound to 127.0.0.1, it must not also serve 127.0.0.2).
  bool on_asked_address = false;
  bool operator==(const ExpectEndpoint&) const = default;
};
// EPH-4: a start on a port that is taken must fail. `held`: the harness holds a socket of the
// case's transport on the family's loopback; `target`: the running target's own port.
enum class TakenPort { held, target };
struct ExpectStartFailure {
  TakenPort port = TakenPort::held;
  Duration within = std::chrono::seconds(2);
  bool operator==(const ExpectStartFailure&) const = default;
};
struct Census {
  std::string as;
  std::string instance = kTarget;
  bool operator==(const Census&) const = default;
};
// Each limit: at most that many more than the baseline census (absent: not checked).
struct ExpectCensus {
  std::string baseline;
  std::string instance = kTarget;
  std::optional<std::uint32_t> fds{}, threads{}, children{};
  std::optional<Duration> cpu{};       // CPU time spent since the baseline
  std::optional<std::uint64_t> rss{};  // resident memory grown since the baseline, bytes
  Duration within = kDefaultWithin;
  bool operator==(const ExpectCensus&) const = default;
};
// Client role: the harness is the server; the target is the client program. The keys `stdin`
// and `stdout` are stdin_ and stdout_ here (C macros).
struct Listen {
  std::string as = kListenEndpoint;
  Transport transport = Transport::tcp;
  bool operator==(const Listen&) const = default;
};
struct RunClient {
  std::vector<std::string> args{};
  std::optional<DataSpec> stdin_{};
  bool operator==(const RunClient&) const = default;
};
struct Accept {
  std::string on = kListenEndpoint;
  std::string as = kTcpEndpoint;
  bool operator==(const Accept&) const = default;
};
struct Reply {
  std::string on = kTcpEndpoint;
  DataSpec data{};
  std::uint32_t pieces = 1;
  DurationRange delay{};
  std::optional<std::string> from{};
  bool operator==(const Reply&) const = default;
};
struct ExpectClient {
  std::optional<int> exit{};
  std::optional<Match> stdout_{};
  Duration within = kDefaultClientWithin;
  bool operator==(const ExpectClient&) const = default;
};
}  // namespace step

using StepKind =
    std::variant<step::Connect, step::Send, step::Expect, step::ExpectEof, step::ExpectReset,
                 step::ExpectSilence, step::Shutdown, step::Abort, step::Close, step::Bind,
                 step::SendTo, step::ExpectDatagram, step::ExpectNoDatagram, step::Repeat,
                 step::Parallel, step::StartInstance, step::Stop, step::Restart, step::ExpectAlive,
                 step::ExpectExit, step::ExpectEndpoint, step::ExpectStartFailure, step::Census,
                 step::ExpectCensus, step::Listen, step::RunClient, step::Accept, step::Reply,
                 step::ExpectClient, step::Exchange, step::Barrier>;

struct Step {
  SourceLocation where;
  StepKind kind;
  bool operator==(const Step&) const = default;
};

// The target block: which service the case needs, and whether cases may share one instance.
// `bind`: the address the server is asked to bind ({host}): the family's loopback, or its
// wildcard (0.0.0.0, ::), for checks that a server serves every local address (EPH-5, DGR-2).
enum class BindTo { loopback, wildcard };
struct TargetSpec {
  std::optional<std::string> service{};
  bool shared = false;
  BindTo bind = BindTo::loopback;
  bool operator==(const TargetSpec&) const = default;
};

struct Scenario {
  SourceLocation where;                   // the file, line 1
  std::string id;                         // unique across the pack: "str/echo-segmented"
  std::string summary;                    // one line
  std::vector<std::string> requirements;  // built-in or the pack's own IDs, at least one
  std::vector<std::string> tags;
  std::vector<std::string> needs;    // capabilities the target must declare
  std::vector<Transport> transport;  // absent in the file: tcp/udp taken from `needs`
  std::vector<Family> families{Family::ipv4, Family::ipv6};
  std::optional<TargetSpec> target{};
  Role role = Role::server;
  std::uint64_t seed = 1;
  std::vector<Step> steps;
  bool operator==(const Scenario&) const = default;
};

// The YAML key of a step kind: "expect-eof" for step::ExpectEof.
[[nodiscard]] std::string_view step_name(const StepKind& kind);
// The YAML names of ExchangeUse (but `named`) and ExchangePart, in enum order.
inline constexpr std::string_view kExchangeUses[] = {"default", "per-client", "large", "closing",
                                                     "partial"};
inline constexpr std::string_view kExchangeParts[] = {"both", "request", "reply", "rest"};
// True when any step (at any depth) is an `exchange`: the scenario talks through the profile's
// exchanges, not a service of its own.
[[nodiscard]] bool uses_exchanges(const std::vector<Step>& steps);
// How a scenario talks to its target, as reports name it: "exchange" (the profile's exchanges),
// the service it needs ("echo", "line"...), or "sockets" (no traffic of a service).
[[nodiscard]] std::string_view form_of(const Scenario& s);

}  // namespace sockspec::scenario
