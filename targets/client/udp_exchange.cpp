// UDP exchange: send, wait for the server's own reply (ignoring others), resend on silence.
#include "targets/client/udp_exchange.hpp"

#include <fmt/core.h>
#include <poll.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <vector>

#include "targets/client/duration.hpp"
#include "targets/client/icmp_errors.hpp"
#include "targets/client/lines.hpp"
#include "targets/client/log.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::client {
namespace {

ExchangeResult failed(Outcome outcome, std::string reason) {
  return {outcome, std::move(reason)};
}

class Exchange {
 public:
  Exchange(const ClientOptions& options, net::Socket socket, Clock::time_point deadline,
           const ReplySink& sink)
      : options_(options), socket_(std::move(socket)), deadline_(deadline), sink_(sink) {}

  ExchangeResult run(std::string_view message) {
    const std::vector<std::string_view> requests =
        options_.lines ? split_request_lines(message) : std::vector<std::string_view>{message};
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (i > 0) {
        if (auto r = drop_waiting(); r) return *r;
      }
      if (auto r = ask(requests[i], i); r.outcome != Outcome::kOk) return r;
    }
    return {};
  }

 private:
  // One request: up to 1 + retries attempts, each a send and a bounded wait for the reply.
  ExchangeResult ask(std::string_view request, std::size_t index) {
    const auto slot = options_.timeout / static_cast<std::int64_t>(1 + options_.retries);
    unsigned attempt = 0;
    for (; attempt <= options_.retries; ++attempt) {
      if (attempt > 0 && time_left(deadline_).count() == 0) break;
      if (auto r = send(request); r) return *r;
      // The last attempt is the last chance for the whole exchange: it may use all that is left.
      const auto until =
          attempt == options_.retries ? deadline_ : std::min(Clock::now() + slot, deadline_);
      if (auto r = await_reply(until); r) return *r;
    }
    const std::string which =
        options_.lines ? fmt::format(" to request line {}", index + 1) : std::string();
    return failed(Outcome::kTimeout,
                  fmt::format("timed out after {}: no reply from {}{} in {} attempt{}",
                              format_duration(options_.timeout), server(), which, attempt,
                              attempt == 1 ? "" : "s"));
  }

  std::optional<ExchangeResult> send(std::string_view request) {
    const net::Status s =
        net::send_datagram(socket_, std::as_bytes(std::span(request)), options_.server);
    if (s) return std::nullopt;
    // A pending ICMP port unreachable is reported by the next call on the socket, this one
    // included; we only ever send to the server, so it is the server's port.
    return failed(s.error().code == ECONNREFUSED ? Outcome::kRefused : Outcome::kError,
                  s.error().message);
  }

  // Waits until `until` for the server's reply; std::nullopt when none came in time.
  std::optional<ExchangeResult> await_reply(Clock::time_point until) {
    for (;;) {
      const net::WaitResult w = net::wait_for(socket_.fd(), POLLIN, -1, time_left(until));
      if (w.outcome == net::WaitOutcome::kTimeout) return std::nullopt;
      if (w.outcome != net::WaitOutcome::kReady) {
        return failed(Outcome::kError, net::errno_error(w.error, "poll").message);
      }
      if ((w.revents & POLLERR) != 0) {
        if (auto r = check_errors(); r) return *r;
      }
      if ((w.revents & POLLIN) == 0) continue;
      auto d = net::receive_datagram(socket_);
      if (!d) return failed(Outcome::kError, d.error().message);
      if (!*d) continue;  // spurious wakeup, or an error already taken from the queue
      if (!((*d)->peer == options_.server)) {
        log_line(fmt::format("ignored datagram from {} ({} bytes): not the server {}",
                             (*d)->peer.to_string(), (*d)->payload.size(), server()));
        continue;
      }
      if (auto s = sink_((*d)->payload); !s) return failed(Outcome::kError, s.error().message);
      return ExchangeResult{};
    }
  }

  // Empties the error queue; an ICMP error about the server ends the exchange.
  std::optional<ExchangeResult> check_errors() {
    for (;;) {
      auto e = read_icmp_error(socket_);
      if (!e) return failed(Outcome::kError, e.error().message);
      if (!*e) return std::nullopt;
      const IcmpError& error = **e;
      const std::string context = fmt::format("sendto {}", server());
      if (error.from_icmp && error.error == ECONNREFUSED && error.target == options_.server) {
        return failed(Outcome::kRefused,
                      net::errno_error(error.error, context).message + ": ICMP port unreachable");
      }
      if (error.from_icmp && error.target == options_.server) {  // host/net unreachable...
        return failed(Outcome::kError, net::errno_error(error.error, context).message);
      }
      log_line(
          net::errno_error(error.error, "ignored error from the socket's error queue").message);
    }
  }

  // Before the next --lines request: replies that are already here belong to earlier attempts.
  std::optional<ExchangeResult> drop_waiting() {
    for (;;) {
      auto d = net::receive_datagram(socket_);
      if (!d) return failed(Outcome::kError, d.error().message);
      if (!*d) return std::nullopt;
      log_line(fmt::format(
          "ignored datagram from {} ({} bytes): {}", (*d)->peer.to_string(), (*d)->payload.size(),
          (*d)->peer == options_.server ? "a late reply to an earlier attempt" : "not the server"));
    }
  }

  [[nodiscard]] std::string server() const { return options_.server.to_string(); }

  const ClientOptions& options_;
  net::Socket socket_;
  Clock::time_point deadline_;
  const ReplySink& sink_;
};

}  // namespace

ExchangeResult udp_exchange(const ClientOptions& options, std::string_view message,
                            Clock::time_point deadline, const ReplySink& sink) {
  // Never bound: the kernel picks an ephemeral port at the first sendto (CLI-6).
  auto socket = net::Socket::udp(options.server.family());
  if (!socket) return failed(Outcome::kError, socket.error().message);
  if (auto s = socket->set_nonblocking(true); !s) return failed(Outcome::kError, s.error().message);
  if (auto s = enable_icmp_errors(*socket, options.server.family()); !s) {
    return failed(Outcome::kError, s.error().message);
  }
  return Exchange(options, std::move(*socket), deadline, sink).run(message);
}

}  // namespace sockspec::client
