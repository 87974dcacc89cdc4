// A server's own protocol on the wire (protocol.hpp): the greeting of a fuzz connection and the
// liveness probe (the default exchange on a fresh connection or socket, its reply judged by the
// engine's matcher, as the `exchange` step judges it).
#pragma once

#include <chrono>
#include <string>

#include "harness/blackbox/protocol.hpp"
#include "harness/blackbox/stream_io.hpp"
#include "targets/net/endpoint.hpp"

namespace sockspec::blackbox {

struct ProtocolStatus {
  enum class State { ok, failed, stopped };
  State state = State::ok;
  std::string detail{};  // failed: one line, "exchange 'ping': expected ..., got ..."
  [[nodiscard]] bool ok() const { return state == State::ok; }
};

// Reads from the non-blocking stream `fd` into `pending` until `expected` matches its start
// (those bytes are then removed from `pending`), a mismatch, the end of the stream or
// `deadline`. `what` names the reply in the detail ("the banner").
[[nodiscard]] ProtocolStatus read_reply(int fd, const engine::Expected& expected,
                                        std::string& pending, Deadline deadline, int stop_fd,
                                        std::string_view what);

// On a freshly connected stream: reads the banner, if any, then sends the hello and reads its
// reply, if any. Bytes that arrive beyond them stay in `pending`.
[[nodiscard]] ProtocolStatus greet(int fd, const Protocol& protocol, std::string& pending,
                                   Deadline deadline, int stop_fd);

// The liveness probe: the default exchange on a new connection (greeted first) or a new UDP
// socket. Fails when the connect is refused or times out, a reply is wrong or incomplete within
// `reply_timeout` (per reply), or the connection ends first.
[[nodiscard]] ProtocolStatus probe(const net::Endpoint& target, const Protocol& protocol,
                                   std::chrono::milliseconds connect_timeout,
                                   std::chrono::milliseconds reply_timeout, int stop_fd);

}  // namespace sockspec::blackbox
