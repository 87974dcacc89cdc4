// Exchange over UDP: one connected socket (only the target's datagrams are received, and an ICMP
// "port unreachable" shows as ECONNREFUSED), one request datagram, the model's reply or none.
// Per input: send(), then recv() or poll() and recv() (ReplyPace); a datagram nobody asked for
// shows as a wrong first reply (or one where none is owed), so no recv() looks for one before
// sending.
#include <fmt/format.h>
#include <poll.h>

#include <array>
#include <cerrno>

#include "harness/blackbox/exchange.hpp"
#include "harness/blackbox/stream_io.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"

namespace sockspec::blackbox {
namespace {

enum class Got { datagram, nothing, refused, error };

// One recv() on the non-blocking socket: a datagram (possibly empty), nothing yet, or an error.
Got receive(int fd, std::string& out, int& error) {
  thread_local std::array<std::byte, net::kMaxDatagram> buffer;
  const net::IoResult r = net::recv_some(fd, buffer);
  // recv() returning 0 on a datagram socket is an empty datagram, not an EOF.
  if (r.outcome == net::IoOutcome::kData || r.outcome == net::IoOutcome::kEof) {
    out.assign(reinterpret_cast<const char*>(buffer.data()), r.bytes);
    return Got::datagram;
  }
  if (r.outcome == net::IoOutcome::kWouldBlock) return Got::nothing;
  error = r.error;
  // A datagram sent earlier met a closed port (ICMP port unreachable): nobody serves there.
  return r.error == ECONNREFUSED ? Got::refused : Got::error;
}

Exchanged verdict(Verdict v, std::string detail, std::string reply = {}) {
  return {v, std::move(detail), std::move(reply), false};
}

std::string stray(std::size_t bytes) {
  return fmt::format("a {}-byte datagram arrived that no request asked for", bytes);
}

Exchanged failed(Got got, int error, std::string_view when) {
  if (got == Got::refused) {
    // Like a refused connect: nothing listens at the target's port any more.
    Exchanged out =
        verdict(Verdict::gone, fmt::format("{}: ICMP port unreachable (ECONNREFUSED)", when));
    out.at_connect = true;
    return out;
  }
  return verdict(Verdict::gone, fmt::format("{}: error {}", when, errno_name(error)));
}

}  // namespace

Exchanged Exchange::open_datagram(const net::Endpoint& target) {
  reset();
  net::Result<net::Socket> s = net::Socket::udp(target.family());
  if (!s) return verdict(Verdict::gone, "socket: " + s.error().message);
  if (net::Status c = s->connect(target); !c) return verdict(Verdict::gone, c.error().message);
  if (net::Status n = s->set_nonblocking(true); !n)
    return verdict(Verdict::gone, n.error().message);
  net::Result<net::Endpoint> local = s->local_endpoint();
  if (!local) return verdict(Verdict::gone, local.error().message);
  local_ = local->to_string();
  socket_ = std::move(s).value();
  connected_to_ = target;
  return {};
}

Exchanged Exchange::run_datagram(const net::Endpoint& target, std::string_view input) {
  if (!open_to(target)) {
    if (Exchanged opened = open_datagram(target); opened.verdict != Verdict::ok) {
      history_ = {std::string(input)};
      opened.at_connect = true;
      return opened;
    }
  }
  const int fd = socket_.fd();
  int error = 0;
  history_.emplace_back(input);
  while (history_.size() > options_.datagram_history) history_.erase(history_.begin());
  ++datagrams_;
  const auto bytes = std::as_bytes(std::span(input.data(), input.size()));
  net::IoResult sent = net::send_some(fd, bytes);
  if (sent.outcome == net::IoOutcome::kWouldBlock) {
    const net::WaitResult w = net::wait_for(fd, POLLOUT, options_.stop_fd, options_.reply_timeout);
    if (w.outcome == net::WaitOutcome::kStopped) return verdict(Verdict::stopped, "interrupted");
    sent = net::send_some(fd, bytes);
  }
  if (sent.outcome == net::IoOutcome::kError && sent.error == EMSGSIZE) return {};  // not sendable
  if (sent.outcome != net::IoOutcome::kData) {
    return failed(sent.error == ECONNREFUSED ? Got::refused : Got::error, sent.error, "sending");
  }
  const std::optional<std::string> expected =
      has_model_ ? datagram_oracle_->expected(input, local_) : std::nullopt;
  std::chrono::milliseconds wait{0};
  if (expected) {
    wait = options_.reply_timeout;
  } else if (has_model_ && options_.silence_sample != 0 &&
             datagrams_ % options_.silence_sample == 0) {
    wait = options_.silence;  // a sample of the inputs owed nothing: does something come?
  }
  Exchanged out;
  Got got = Got::nothing;
  // Nothing to wait for: look once. Else read first or wait first, as replies came so far.
  const bool read_first = wait.count() == 0 || pace_.read_first();
  if (read_first) {
    got = receive(fd, out.reply, error);
    if (wait.count() > 0) pace_.saw(got != Got::nothing);
  }
  if (got == Got::nothing && wait.count() > 0) {
    const net::WaitResult w = net::wait_for(fd, POLLIN, options_.stop_fd, wait);
    if (w.outcome == net::WaitOutcome::kStopped) return verdict(Verdict::stopped, "interrupted");
    if (w.outcome == net::WaitOutcome::kReady) got = receive(fd, out.reply, error);
  }
  if (got == Got::refused || got == Got::error) return failed(got, error, "awaiting the reply");
  if (!has_model_) return out;
  if (!expected) {
    if (got == Got::nothing) return out;
    return verdict(Verdict::broken,
                   fmt::format("expected no reply, got a {}-byte datagram", out.reply.size()),
                   out.reply);
  }
  if (got == Got::nothing) {
    return verdict(Verdict::hang,
                   fmt::format("no reply datagram within {} ms", options_.reply_timeout.count()));
  }
  if (std::optional<std::string> wrong = datagram_oracle_->check(*expected, out.reply)) {
    // The first datagram may be a late or extra reply to an earlier input (still in history),
    // queued before the right one: if the right one comes soon after, say so. (A stray equal to
    // the reply owed now leaves that reply queued, and the next input meets it.)
    std::string next;
    const net::WaitResult w = net::wait_for(fd, POLLIN, options_.stop_fd, options_.silence);
    if (w.outcome == net::WaitOutcome::kReady && receive(fd, next, error) == Got::datagram &&
        !datagram_oracle_->check(*expected, next)) {
      return verdict(Verdict::broken, stray(out.reply.size()), out.reply);
    }
    return verdict(Verdict::broken, *wrong, out.reply);
  }
  return out;
}

}  // namespace sockspec::blackbox
