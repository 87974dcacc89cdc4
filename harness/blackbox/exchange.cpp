// Exchange over TCP: persistent and per-connection modes (datagram mode: exchange_datagram.cpp).
#include "harness/blackbox/exchange.hpp"

#include <fmt/format.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "harness/blackbox/protocol_io.hpp"
#include "harness/blackbox/stream_io.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;

Exchanged verdict(Verdict v, std::string detail, std::string reply = {}, bool cut_short = false) {
  Exchanged e;
  e.verdict = v;
  e.detail = std::move(detail);
  e.reply = std::move(reply);
  e.cut_short = cut_short;
  return e;
}

// Whether `received` is a correct start of `owed` (a reply cut short by a close).
bool correct_prefix(const StreamOracle& oracle, const Owed& owed, const std::string& received) {
  if (received.size() > owed.bytes.size()) return false;
  return !oracle.check(Owed{owed.bytes.substr(0, received.size()), false}, received).has_value();
}

std::string progress(const Owed& owed, const std::string& received) {
  return fmt::format("{} of {} bytes owed arrived", received.size(), owed.bytes.size());
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::ok:
      return "ok";
    case Verdict::broken:
      return "broken";
    case Verdict::hang:
      return "hang";
    case Verdict::gone:
      return "gone";
    case Verdict::stopped:
      return "stopped";
  }
  return "?";
}

Exchange::Exchange(ExchangeOptions options) : options_(std::move(options)) {
  if (options_.protocol) return;  // no model
  if (options_.mode == Mode::datagram) {
    datagram_oracle_ = DatagramOracle::make(options_.service);
    has_model_ = datagram_oracle_ != nullptr;
  } else {
    has_model_ = StreamOracle::make(options_.service, "127.0.0.1:1") != nullptr;
  }
}

Exchange::~Exchange() = default;

void Exchange::reset() {
  socket_ = net::Socket();
  history_.clear();
  sent_on_connection_ = 0;
}

bool Exchange::open_to(const net::Endpoint& target) const {
  if (!socket_.valid()) return false;
  if (target.size() == connected_to_.size() &&
      std::memcmp(target.sockaddr_ptr(), connected_to_.sockaddr_ptr(), target.size()) == 0) {
    return true;
  }
  return connected_to_ == target;
}

Exchanged Exchange::run(const net::Endpoint& target, std::string_view input,
                        std::span<const std::size_t> segments) {
  if (options_.mode == Mode::datagram) return run_datagram(target, input);
  return run_stream(target, input, segments);
}

Exchanged Exchange::open_stream(const net::Endpoint& target) {
  reset();
  net::Result<net::Socket> s = connect_stream(target, options_.connect_timeout);
  if (!s) {
    return verdict(s.error().code == ETIMEDOUT ? Verdict::hang : Verdict::gone, s.error().message);
  }
  local_.clear();
  if (StreamOracle::uses_peer(options_.service)) {
    net::Result<net::Endpoint> local = s->local_endpoint();
    if (!local) return verdict(Verdict::gone, local.error().message);
    local_ = local->to_string();
  }
  socket_ = std::move(s).value();
  no_delay_ = false;
  connected_to_ = target;
  if (options_.protocol) {
    std::string pending;  // what follows the greeting is not judged (no model)
    const ProtocolStatus g = greet(socket_.fd(), *options_.protocol, pending,
                                   Clock::now() + options_.reply_timeout, options_.stop_fd);
    if (g.state == ProtocolStatus::State::stopped) return verdict(Verdict::stopped, "interrupted");
    if (!g.ok()) {
      socket_ = net::Socket();
      Exchanged e = verdict(Verdict::ok, g.detail);
      e.server_ended = true;
      return e;
    }
    return {};
  }
  stream_oracle_ = StreamOracle::make(options_.service, local_);
  return {};
}

Exchanged Exchange::run_stream(const net::Endpoint& target, std::string_view input,
                               std::span<const std::size_t> segments) {
  const bool per_connection = options_.mode == Mode::per_connection;
  if (per_connection || !open_to(target)) {
    Exchanged opened = open_stream(target);
    if (opened.server_ended) {  // the greeting failed: the input is not sent
      history_ = {std::string(input)};
      return opened;
    }
    if (opened.verdict != Verdict::ok) {
      history_ = {std::string(input)};
      opened.at_connect = true;
      return opened;
    }
  }
  history_.emplace_back(input);
  ++sent_on_connection_;
  const int fd = socket_.fd();
  const auto deadline = Clock::now() + options_.reply_timeout;
  Owed owed;
  bool closes_early = false;  // the model closes before reading all (QUIT, overlong line)
  if (stream_oracle_) {
    owed = stream_oracle_->on_send(input);
    closes_early = owed.closes;
    if (per_connection) {
      Owed at_eof = stream_oracle_->on_eof();
      owed.bytes += at_eof.bytes;
      owed.closes = true;  // after our shutdown the server must close (echo, line, discard)
    }
  }
  Exchanged out;
  std::string& received = out.reply;
  // Segments reach the wire as sent only without Nagle, and on a kept connection an input must
  // not wait for the ACK of the one before. A whole input on a fresh connection (per-connection
  // mode) goes out at once anyway, its tail pushed by our shutdown: no setsockopt for it.
  if (!no_delay_ && (segments.size() > 1 || !per_connection)) {
    if (net::Status d = socket_.set_no_delay(); !d) {
      socket_ = net::Socket();
      return verdict(Verdict::gone, d.error().message);
    }
    no_delay_ = true;
  }
  const StreamStatus sent = send_segments(
      fd, input, segments, received, owed.bytes.size() + kReadSlack, deadline, options_.stop_fd);
  StreamStatus got = sent;
  if (sent.end == StreamEnd::done && per_connection) {
    if (net::Status s = socket_.shutdown_write(); !s) got = {StreamEnd::reset, s.error().code};
  }
  if (!stream_oracle_) {
    // No model: take what is there, never wait; a close is the service's business.
    if (got.end == StreamEnd::done) {
      if (options_.before_read) options_.before_read();
      got = read_stream(fd, received, 0, false, deadline, options_.stop_fd, pace_);
    }
    if (per_connection || got.end != StreamEnd::done) socket_ = net::Socket();
    if (got.end == StreamEnd::stopped) return verdict(Verdict::stopped, "interrupted");
    // After our shutdown (per-connection) the server's close is the end we asked for.
    if (got.end == StreamEnd::reset || got.end == StreamEnd::error ||
        (got.end == StreamEnd::eof && !per_connection)) {
      out.server_ended = true;
      out.detail = fmt::format("connection {}", describe(got));
    }
    if (got.end == StreamEnd::timeout)
      return verdict(Verdict::hang, "sending: no room within the reply timeout");
    return out;
  }
  if (got.end == StreamEnd::done || (got.end == StreamEnd::eof && owed.closes)) {
    got = read_stream(fd, received, owed.bytes.size(), owed.closes, deadline, options_.stop_fd,
                      pace_);
  }
  out.cut_short = got.end == StreamEnd::eof || got.end == StreamEnd::reset ||
                  got.end == StreamEnd::error ||
                  (owed.closes && received.size() < owed.bytes.size());
  const bool ends = per_connection || owed.closes || got.end != StreamEnd::done ||
                    sent_on_connection_ >= options_.max_history;
  if (ends) socket_ = net::Socket();
  switch (got.end) {
    case StreamEnd::stopped:
      return verdict(Verdict::stopped, "interrupted");
    case StreamEnd::done:
      break;
    case StreamEnd::timeout:
      if (!correct_prefix(*stream_oracle_, owed, received)) break;  // wrong bytes: say where
      if (sent.end == StreamEnd::timeout) {
        return verdict(Verdict::hang,
                       fmt::format("sending {} bytes: no room within {} ms", input.size(),
                                   options_.reply_timeout.count()),
                       received);
      }
      if (received.size() < owed.bytes.size()) {
        return verdict(Verdict::hang,
                       fmt::format("no complete reply within {} ms: {}",
                                   options_.reply_timeout.count(), progress(owed, received)),
                       received);
      }
      return verdict(Verdict::hang,
                     fmt::format("no close within {} ms{}", options_.reply_timeout.count(),
                                 per_connection ? " after our shutdown" : " after the reply"),
                     received);
    case StreamEnd::eof:
    case StreamEnd::reset:
    case StreamEnd::error:
      // A server closing with input unread resets the connection: fine where it must close.
      if (closes_early && got.end == StreamEnd::reset &&
          correct_prefix(*stream_oracle_, owed, received)) {
        out.closed = true;
        return out;
      }
      if (correct_prefix(*stream_oracle_, owed, received)) {
        return verdict(Verdict::gone,
                       fmt::format("connection {} ({})", describe(got), progress(owed, received)),
                       received);
      }
      break;
  }
  if (std::optional<std::string> wrong = stream_oracle_->check(owed, received)) {
    return verdict(Verdict::broken, *wrong, received, out.cut_short);
  }
  out.closed = owed.closes;
  return out;
}

}  // namespace sockspec::blackbox
