// TCP exchange: a bounded non-blocking connect, then one poll loop that sends and receives.
#include "targets/client/tcp_exchange.hpp"

#include <fmt/core.h>
#include <poll.h>

#include <cerrno>
#include <vector>

#include "targets/client/duration.hpp"
#include "targets/client/lines.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::client {
namespace {

constexpr std::size_t kReceiveChunk = 64 * 1024;

ExchangeResult failed(Outcome outcome, std::string reason) {
  return {outcome, std::move(reason)};
}

ExchangeResult failed_errno(int code, const std::string& context) {
  return failed(Outcome::kError, net::errno_error(code, context).message);
}

// connect() bounded by the deadline: net::Socket::connect waits for a slow handshake without a
// limit, so the socket is non-blocking and the handshake is polled for (man 2 connect,
// EINPROGRESS: then read SO_ERROR).
ExchangeResult connect_before(const net::Socket& socket, const ClientOptions& options,
                              Clock::time_point deadline) {
  const net::Endpoint& server = options.server;
  int err = 0;
  if (net::sys::ops().connect(socket.fd(), server.sockaddr_ptr(), server.size()) != 0) {
    err = errno;
  }
  // EINTR: the handshake goes on in the kernel, exactly like EINPROGRESS.
  if (err == EINPROGRESS || err == EINTR) {
    const net::WaitResult w = net::wait_for(socket.fd(), POLLOUT, -1, time_left(deadline));
    if (w.outcome == net::WaitOutcome::kTimeout) {
      return failed(Outcome::kTimeout,
                    fmt::format("timed out after {} connecting to {}",
                                format_duration(options.timeout), server.to_string()));
    }
    if (w.outcome == net::WaitOutcome::kError) return failed_errno(w.error, "poll");
    socklen_t len = sizeof err;
    if (net::sys::ops().getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
      err = errno;
    }
  }
  const std::string context = fmt::format("connect {}", server.to_string());
  switch (err) {
    case 0:
      return {};
    case ECONNREFUSED:  // RST to our SYN: nothing listens there
      return failed(Outcome::kRefused, net::errno_error(err, context).message);
    case ECONNRESET:  // accepted, then reset before we even polled: the peer went away
    case EPIPE:
      return failed(Outcome::kPeerClosed, net::errno_error(err, context).message);
    case ETIMEDOUT:  // the kernel gave up on SYN retransmissions
      return failed(Outcome::kTimeout, net::errno_error(err, context).message);
    default:  // EHOSTUNREACH, ENETUNREACH, EACCES...: the client cannot reach the server at all
      return failed_errno(err, context);
  }
}

// The state of one connected exchange; step() runs until it has an outcome.
class Exchange {
 public:
  Exchange(const ClientOptions& options, net::Socket& socket, std::string payload,
           Clock::time_point deadline, const ReplySink& sink)
      : options_(options),
        fd_(socket.fd()),
        socket_(socket),
        payload_(std::move(payload)),
        counter_(options.lines ? split_request_lines(payload_).size() : 0),
        deadline_(deadline),
        sink_(sink),
        peer_(options.server.to_string()) {}

  ExchangeResult run() {
    for (;;) {
      if (!options_.lines && all_sent() && !half_closed_) {
        // The server learns the message is complete (STR-3); a reset peer gives ENOTCONN.
        if (auto s = socket_.shutdown_write(); !s) {
          return failed(Outcome::kPeerClosed, s.error().message);
        }
        half_closed_ = true;
      }
      if (options_.lines ? counter_.complete() : (eof_ && half_closed_)) return {};
      short events = eof_ ? 0 : POLLIN;
      if (!all_sent()) events = static_cast<short>(events | POLLOUT);
      const net::WaitResult w = net::wait_for(fd_, events, -1, time_left(deadline_));
      if (w.outcome == net::WaitOutcome::kTimeout) return timed_out();
      if (w.outcome != net::WaitOutcome::kReady) return failed_errno(w.error, "poll");
      // Receive first: bytes that arrived before a reset are still delivered.
      if (!eof_ && (w.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        if (auto r = receive(); r) return *r;
      }
      if (!all_sent() && (w.revents & (POLLOUT | POLLHUP | POLLERR)) != 0) {
        if (auto r = send(); r) return *r;
      }
    }
  }

 private:
  [[nodiscard]] bool all_sent() const { return sent_ == payload_.size(); }

  std::optional<ExchangeResult> receive() {
    const net::IoResult r = net::recv_some(fd_, buffer_);
    switch (r.outcome) {
      case net::IoOutcome::kData: {
        received_ += r.bytes;
        std::span<const std::byte> chunk = std::span(buffer_).first(r.bytes);
        if (options_.lines) chunk = chunk.first(counter_.feed(chunk));
        if (auto s = sink_(chunk); !s) return failed(Outcome::kError, s.error().message);
        return std::nullopt;
      }
      case net::IoOutcome::kWouldBlock:  // a spurious wakeup
        return std::nullopt;
      case net::IoOutcome::kEof:
        eof_ = true;
        if (!options_.lines) return std::nullopt;  // default mode: done once all is sent
        return failed(Outcome::kPeerClosed,
                      fmt::format("{} closed the connection after {} of {} reply lines", peer_,
                                  counter_.lines_seen(), counter_.expected()));
      case net::IoOutcome::kReset:
        return failed(Outcome::kPeerClosed,
                      net::errno_error(r.error, fmt::format("recv from {}", peer_)).message);
      case net::IoOutcome::kError:
        break;
    }
    return failed_errno(r.error, fmt::format("recv from {}", peer_));
  }

  std::optional<ExchangeResult> send() {
    const auto bytes = std::as_bytes(std::span(payload_)).subspan(sent_);
    const net::IoResult r = net::send_some(fd_, bytes);
    switch (r.outcome) {
      case net::IoOutcome::kData:  // possibly short: the rest goes when there is room again
        sent_ += r.bytes;
        return std::nullopt;
      case net::IoOutcome::kWouldBlock:
        return std::nullopt;
      case net::IoOutcome::kReset:  // EPIPE, ECONNRESET: the server went away mid-message
        return failed(Outcome::kPeerClosed,
                      net::errno_error(r.error, fmt::format("send to {} after {} of {} bytes",
                                                            peer_, sent_, payload_.size()))
                          .message);
      case net::IoOutcome::kEof:
      case net::IoOutcome::kError:
        break;
    }
    return failed_errno(r.error, fmt::format("send to {}", peer_));
  }

  ExchangeResult timed_out() const {
    const std::string progress =
        options_.lines
            ? fmt::format("{} of {} reply lines", counter_.lines_seen(), counter_.expected())
            : fmt::format("{} bytes", received_);
    return failed(
        Outcome::kTimeout,
        fmt::format("timed out after {} waiting for {} (sent {} of {} bytes, "
                    "received {})",
                    format_duration(options_.timeout), peer_, sent_, payload_.size(), progress));
  }

  const ClientOptions& options_;
  int fd_;
  net::Socket& socket_;
  std::string payload_;
  ReplyLineCounter counter_;
  Clock::time_point deadline_;
  const ReplySink& sink_;
  std::string peer_;
  std::vector<std::byte> buffer_ = std::vector<std::byte>(kReceiveChunk);
  std::size_t sent_ = 0;
  std::size_t received_ = 0;
  bool eof_ = false;
  bool half_closed_ = false;
};

}  // namespace

ExchangeResult tcp_exchange(const ClientOptions& options, std::string_view message,
                            Clock::time_point deadline, const ReplySink& sink) {
  auto socket = net::Socket::tcp(options.server.family());
  if (!socket) return failed(Outcome::kError, socket.error().message);
  if (auto s = socket->set_nonblocking(true); !s) return failed(Outcome::kError, s.error().message);
  if (auto c = connect_before(*socket, options, deadline); c.outcome != Outcome::kOk) return c;
  std::string payload = options.lines ? terminate_last_line(message) : std::string(message);
  return Exchange(options, *socket, std::move(payload), deadline, sink).run();
}

}  // namespace sockspec::client
