// One fuzz input sent to a live server and its answer judged against the model (oracle.hpp), in
// one of three modes: a TCP connection kept across inputs, a TCP connection per input, or UDP.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "harness/blackbox/finding.hpp"
#include "harness/blackbox/minimise.hpp"
#include "harness/blackbox/oracle.hpp"
#include "harness/blackbox/protocol.hpp"
#include "harness/blackbox/stream_io.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::blackbox {

struct ExchangeOptions {
  Mode mode = Mode::persistent;
  std::string service = "echo";
  // An owed reply (or the EOF after our shutdown, per-connection) must be complete this long
  // after the input was sent; a connect must complete within connect_timeout.
  std::chrono::milliseconds reply_timeout{1000};
  std::chrono::milliseconds connect_timeout{1000};
  // Persistent: a new connection after this many inputs, so that a finding's history is short.
  std::size_t max_history = 16;
  // Datagram: how many recent datagrams history() keeps (a late stray reply may come from any).
  std::size_t datagram_history = 4;
  // Datagram, nothing owed: one input in this many waits `silence` for a stray reply (the
  // others only look at what already arrived, which costs no waiting).
  std::size_t silence_sample = 64;
  std::chrono::milliseconds silence{20};
  int stop_fd = -1;  // readable: every wait ends (Verdict::stopped)
  // Protocol mode: the server's own protocol (no model, `service` unused): each new connection
  // is greeted first (protocol_io.hpp); replay() ends with the probe.
  std::shared_ptr<const Protocol> protocol{};
  // Without a model, over TCP: called once an input is sent, before what arrived is read (a
  // coverage campaign waits there until the target is idle, see target_idle.hpp); may be empty.
  std::function<void()> before_read{};
};

enum class Verdict {
  ok,       // answered as the model says (without a model: the target stayed reachable)
  broken,   // answered wrongly: `detail` says where
  hang,     // a connect or an owed reply did not complete in time
  gone,     // refused, reset or closed where the model does not close: the caller looks at
            // whether the target died (without a model, a close is no fault of its own)
  stopped,  // stop_fd fired
};

struct Exchanged {
  Verdict verdict = Verdict::ok;
  std::string detail;       // one line, for every verdict but ok
  std::string reply;        // what arrived for this input (its "behaviour")
  bool closed = false;      // the connection ended as the model says (QUIT, overlong line)
  bool at_connect = false;  // the verdict is about connecting (refused, timed out), not input
  bool cut_short = false;   // closed or reset before the owed reply was complete (as a crash)
  // Protocol mode: the server ended the connection (closed it while it was kept, reset it) or
  // its greeting failed (`detail` says how): whether it still serves is for the probe to say.
  bool server_ended = false;
};

// Not thread-safe. Owns its socket (RAII); reconnects as the mode and the model require.
class Exchange {
 public:
  explicit Exchange(ExchangeOptions options);
  Exchange(Exchange&&) noexcept = default;
  Exchange& operator=(Exchange&&) noexcept = default;
  ~Exchange();

  // Sends `input` to `target` in `segments` (byte counts summing to input.size(); empty: one
  // send; UDP ignores them) and judges the answer.
  [[nodiscard]] Exchanged run(const net::Endpoint& target, std::string_view input,
                              std::span<const std::size_t> segments = {});

  // What a finding made of the last run() would replay: persistent, the inputs sent on the
  // current connection; per-connection, the last input; datagram, the last few datagrams.
  [[nodiscard]] const Messages& history() const { return history_; }
  // Whether the service has a model (else only liveness is judged).
  [[nodiscard]] bool has_model() const { return has_model_; }
  // Drops the connection and the history (after a restart of the target).
  void reset();

 private:
  [[nodiscard]] Exchanged run_stream(const net::Endpoint& target, std::string_view input,
                                     std::span<const std::size_t> segments);
  [[nodiscard]] Exchanged run_datagram(const net::Endpoint& target, std::string_view input);
  // Connects `socket_` (non-blocking) and makes a fresh stream oracle.
  [[nodiscard]] Exchanged open_stream(const net::Endpoint& target);
  [[nodiscard]] Exchanged open_datagram(const net::Endpoint& target);
  // Whether socket_ is open to `target`. Compares the socket addresses' bytes first (the
  // caller passes the same endpoint every time; Endpoint's == formats both hosts as text).
  [[nodiscard]] bool open_to(const net::Endpoint& target) const;

  ExchangeOptions options_;
  bool has_model_ = false;
  net::Socket socket_;
  net::Endpoint connected_to_;
  std::unique_ptr<StreamOracle> stream_oracle_;
  std::unique_ptr<DatagramOracle> datagram_oracle_;
  std::string local_;  // our address as the target sees it ("127.0.0.1:40000")
  Messages history_;
  std::size_t sent_on_connection_ = 0;
  bool no_delay_ = false;  // TCP_NODELAY is set on socket_ (before its first segmented send)
  ReplyPace pace_;         // whether replies come before we ask: read first or wait first
  std::uint64_t datagrams_ = 0;
};

[[nodiscard]] std::string_view verdict_name(Verdict v);

}  // namespace sockspec::blackbox
