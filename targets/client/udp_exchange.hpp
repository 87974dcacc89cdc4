// The UDP exchange: a request datagram from a kernel-chosen port, one reply datagram back from
// exactly the server's address and port, resent on silence.
#pragma once

#include <string_view>

#include "targets/client/deadline.hpp"
#include "targets/client/options.hpp"
#include "targets/client/outcome.hpp"

namespace sockspec::client {

// Sends `message` as one datagram (--lines: each request line, LF kept as given, as its own
// datagram, one after the other) from an unconnected, unbound socket: the kernel picks the
// local port at the first send (CLI-6). Each request gets 1 + options.retries attempts of
// options.timeout / (1 + retries) each; the last attempt lasts until `deadline`, which bounds
// the whole exchange. A datagram whose source address or port differs from the server's is
// logged ("ignored datagram from X") and skipped (CLI-5). Each accepted reply goes to `sink`.
//
// Outcomes: kOk; kTimeout when a request got no reply in any attempt; kRefused when an ICMP
// port unreachable for the server arrives (seen through IP_RECVERR, see icmp_errors.hpp);
// kError otherwise (EMSGSIZE for a message larger than a datagram...).
//
// Limit of --lines: the `line` protocol has no request ids, so a reply to an earlier attempt
// that arrives after the next request was sent is taken as that request's reply. Replies that
// are already waiting when the next request goes out are dropped (and logged) first.
[[nodiscard]] ExchangeResult udp_exchange(const ClientOptions& options, std::string_view message,
                                          Clock::time_point deadline, const ReplySink& sink);

}  // namespace sockspec::client
