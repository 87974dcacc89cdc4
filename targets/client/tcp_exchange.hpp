// The TCP exchange: connect, send the message while reading the reply, stop at EOF or after
// the expected --lines replies.
#pragma once

#include <string_view>

#include "targets/client/deadline.hpp"
#include "targets/client/options.hpp"
#include "targets/client/outcome.hpp"

namespace sockspec::client {

// Runs one exchange with `options.server`, bounded by `deadline` as a whole (connect
// included).
//
// Default mode: sends all of `message`, then shutdown(SHUT_WR), and passes every byte received
// to `sink` until the server closes: kOk at EOF once everything was sent.
// --lines mode (`options.lines`): sends `message` (an LF added after an unterminated last
// line) without half-closing, and passes the reply up to and including the LF of the Nth reply
// line, N being the number of request lines; kOk then, without waiting for EOF. `message` must
// hold at least one line.
//
// Sending and receiving are interleaved, so a large message to an echo server never deadlocks
// on full buffers. Outcomes: kRefused (ECONNREFUSED), kTimeout, kPeerClosed (reset while
// sending or receiving, EOF before the last expected reply line), kError.
[[nodiscard]] ExchangeResult tcp_exchange(const ClientOptions& options, std::string_view message,
                                          Clock::time_point deadline, const ReplySink& sink);

}  // namespace sockspec::client
