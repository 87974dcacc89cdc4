// Executor: runs a scenario's steps in one Scope, each with its deadline. A step that sees
// something else than expected throws StepFailure with its location, what was expected and what
// was observed; repeat and parallel recurse (parallel: one thread and Scope per client).
#pragma once

#include <string>
#include <vector>

#include "harness/engine/context.hpp"
#include "harness/engine/match.hpp"
#include "harness/scenario/model.hpp"

namespace sockspec::engine {

// What expect-eof, expect-reset and expect-silence wait for on a connection: its end by a FIN,
// its end by a RST, or nothing at all.
enum class AwaitedEnd { eof, reset, nothing };

class Executor {
 public:
  explicit Executor(Scope& scope) : s_(scope) {}
  // Throws StepFailure, StepSkipped or Interrupted.
  void run(const std::vector<scenario::Step>& steps);

 private:
  using Step = scenario::Step;
  void run_step(const Step& st);

  // TCP (exec_tcp.cpp).
  void exec(const Step& st, const scenario::step::Connect& k);
  void exec(const Step& st, const scenario::step::Send& k);
  void exec(const Step& st, const scenario::step::Expect& k);
  void exec(const Step& st, const scenario::step::ExpectEof& k);
  void exec(const Step& st, const scenario::step::ExpectReset& k);
  void exec(const Step& st, const scenario::step::ExpectSilence& k);
  void exec(const Step& st, const scenario::step::Shutdown& k);
  void exec(const Step& st, const scenario::step::Abort& k);
  void exec(const Step& st, const scenario::step::Close& k);
  // UDP (exec_udp.cpp).
  void exec(const Step& st, const scenario::step::Bind& k);
  void exec(const Step& st, const scenario::step::SendTo& k);
  void exec(const Step& st, const scenario::step::ExpectDatagram& k);
  void exec(const Step& st, const scenario::step::ExpectNoDatagram& k);
  // Structure (executor.cpp).
  void exec(const Step& st, const scenario::step::Repeat& k);
  void exec(const Step& st, const scenario::step::Parallel& k);
  // The barrier (exec_barrier.cpp).
  void exec(const Step& st, const scenario::step::Barrier& k);
  // How many clients a parallel block runs: its `clients`, or the profile's max-clients when
  // that is fewer and the block holds them all at once at a barrier.
  [[nodiscard]] std::uint32_t clients_at_once(const scenario::step::Parallel& k) const;
  // Lifecycle and observation (exec_lifecycle.cpp).
  void exec(const Step& st, const scenario::step::StartInstance& k);
  void exec(const Step& st, const scenario::step::Stop& k);
  void exec(const Step& st, const scenario::step::Restart& k);
  void exec(const Step& st, const scenario::step::ExpectAlive& k);
  void exec(const Step& st, const scenario::step::ExpectExit& k);
  void exec(const Step& st, const scenario::step::ExpectEndpoint& k);
  void exec(const Step& st, const scenario::step::ExpectStartFailure& k);
  void exec(const Step& st, const scenario::step::Census& k);
  void exec(const Step& st, const scenario::step::ExpectCensus& k);
  // Client role (exec_client.cpp).
  void exec(const Step& st, const scenario::step::Listen& k);
  void exec(const Step& st, const scenario::step::RunClient& k);
  void exec(const Step& st, const scenario::step::Accept& k);
  void exec(const Step& st, const scenario::step::Reply& k);
  void exec(const Step& st, const scenario::step::ExpectClient& k);
  // Exchanges (exec_exchange.cpp).
  void exec(const Step& st, const scenario::step::Exchange& k);
  void exchange_tcp(const Step& st, const scenario::step::Exchange& k, const std::string& on,
                    TcpPeer& peer);
  void exchange_udp(const Step& st, const scenario::step::Exchange& k, const std::string& on);
  // Sends an exchange's request bytes; with `with-fin`, then half-closes with the last segment.
  void send_request(const Step& st, const scenario::step::Exchange& k, const std::string& on,
                    TcpPeer& peer, std::string_view bytes);
  // Writes `bytes` whole, failing once the peer took nothing for kStallLimit; with `drain`, what
  // arrives meanwhile is kept in the peer's pending bytes for the next expectation.
  void send_bytes(const Step& st, TcpPeer& peer, const std::string& on, std::string_view bytes,
                  bool drain);
  // `with-fin`: corked before the bytes are written, the connection is half-closed after them,
  // so the last segment carries the FIN (the kernel holds it until the shutdown).
  void cork(const Step& st, TcpPeer& peer);
  void shutdown_with_last_segment(const Step& st, TcpPeer& peer, const std::string& on);
  // Writes one piece of a send of `total` bytes begun at `started`, failing once the peer took
  // nothing for kStallLimit (the failure gives the rate seen); `done` counts what was written.
  void write_piece(const Step& st, TcpPeer& peer, std::string_view piece, std::size_t total,
                   std::size_t& done, Clock::time_point started, std::string* drain);
  // `offer`: writes what the peer takes, until all is taken, it took nothing for 1 s, or `limit`.
  void offer(const Step& st, const std::string& on, scenario::Duration limit, TcpPeer& peer,
             const std::string& bytes);
  // One read before `deadline`: data is recorded and appended to the peer's pending bytes, EOF
  // and a reset are noted on the peer; an error fails the step (expecting `want`).
  ReadOutcome read_into(const Step& st, TcpPeer& peer, const std::string& on,
                        Clock::time_point deadline, std::string_view want);
  // Reads until the connection ends as `awaited` (nothing: until `within` passes quietly),
  // failing at what rules that end out, or at `within` without it ("stayed open").
  void await_end(const Step& st, TcpPeer& peer, const std::string& on, AwaitedEnd awaited,
                 scenario::Duration within);
  // Reads until the peer's pending bytes satisfy `want` (consumed), or fails once nothing arrived
  // for `within`; `what` prefixes the expectation in a failure ("the reply of exchange 'ping'").
  void receive(const Step& st, TcpPeer& peer, const std::string& on, const Expected& want,
               scenario::Duration within, std::string_view what = {});

  // Helpers (executor.cpp).
  [[noreturn]] void fail(const Step& st, std::string expected, std::string observed,
                         std::string detail = {}) const;
  // The placeholders' values at this step; `on` names the endpoint whose address is {peer}.
  [[nodiscard]] scenario::TemplateVars vars(const std::string& on = {}) const;
  [[nodiscard]] std::string render(const Step& st, const std::string& text,
                                   const scenario::TemplateVars& v) const;
  [[nodiscard]] std::string bytes_of(const Step& st, const scenario::DataSpec& data,
                                     const scenario::TemplateVars& v) const;
  // The expectation with its bytes made; `sent` is what same-as-sent compares with.
  [[nodiscard]] Expected expected_of(const Step& st, const scenario::Match& match,
                                     const std::string& sent,
                                     const scenario::TemplateVars& v) const;
  TcpPeer& tcp(const Step& st, const std::string& name);
  UdpPeer& udp(const Step& st, const std::string& name);
  // Where the target serves `transport` in the case's family (or the --connect address).
  [[nodiscard]] net::Endpoint target_endpoint(const Step& st, scenario::Transport transport) const;
  // The instance named `name`; lifecycle steps against a --connect target are skipped.
  target::Instance& instance(const Step& st, const std::string& name) const;
  void check_interrupted() const;
  [[nodiscard]] int family_af(const std::optional<scenario::Family>& family) const;

  Scope& s_;
};

}  // namespace sockspec::engine
