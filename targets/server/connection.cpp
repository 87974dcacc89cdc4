// The per-connection state machine shared by all TCP models.
#include "targets/server/connection.hpp"

#include <poll.h>

#include <algorithm>
#include <array>

#include "targets/net/io.hpp"
#include "targets/server/log.hpp"

namespace sockspec::server {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kProduceChunk = 64 * 1024;
constexpr std::size_t kWriteBudget = 1024 * 1024;

}  // namespace

Connection::Connection(net::Socket socket, std::unique_ptr<proto::StreamSession> session)
    : socket_(std::move(socket)), session_(std::move(session)) {}

void Connection::open() {
  proto::Output out;
  session_->on_open(out);
  take(out);
  flush_output();
}

short Connection::interest() const {
  if (state_ == State::kLingering) return POLLIN;
  short events = 0;
  // Read while there is room: a client that never reads cannot make us buffer without limit.
  if (!peer_eof_ && !close_owed_ && queued() < kHighWater) events |= POLLIN;
  if (queued() > 0 || (session_->wants_more() && !close_owed_)) events |= POLLOUT;
  return events;
}

void Connection::on_events(short revents) {
  if (state_ == State::kFinished) return;
  // POLLHUP and POLLERR are read too: recv() then reports the EOF or the error. After the
  // peer's EOF there is nothing left to read, and on_eof() is owed only once.
  if (!peer_eof_ && (revents & (POLLIN | POLLHUP | POLLERR)) != 0) read_input();
  if (state_ != State::kFinished && (revents & (POLLOUT | POLLERR)) != 0) flush_output();
  // Still here with POLLHUP (both directions shut: a reset, or the peer's FIN after ours) or
  // POLLERR: nothing can be sent or received any more, and a level-triggered wait would
  // report it again at once, forever (a busy loop).
  if (state_ != State::kFinished && (revents & (POLLHUP | POLLERR)) != 0) {
    state_ = State::kFinished;
  }
}

void Connection::on_timeout() {
  if (state_ == State::kLingering) state_ = State::kFinished;
}

void Connection::read_input() {
  std::array<std::byte, kReadChunk> buffer;
  const auto r = net::recv_some(fd(), buffer);
  switch (r.outcome) {
    case net::IoOutcome::kData: {
      if (state_ == State::kLingering) return;  // owed nothing more: discard
      proto::Output out;
      session_->on_data(std::span(buffer).first(r.bytes), out);
      take(out);
      flush_output();
      return;
    }
    case net::IoOutcome::kEof: {
      peer_eof_ = true;
      if (state_ == State::kLingering) {
        state_ = State::kFinished;
        return;
      }
      proto::Output out;
      session_->on_eof(out);
      take(out);
      flush_output();
      return;
    }
    case net::IoOutcome::kWouldBlock:
      return;
    case net::IoOutcome::kReset:  // the client went away: expected, nothing to report
      state_ = State::kFinished;
      return;
    case net::IoOutcome::kError:
      log_line("{}", net::errno_error(r.error, "recv").message);
      state_ = State::kFinished;
      return;
  }
}

void Connection::flush_output() {
  // A reader as fast as we write would keep this loop going forever: after kWriteBudget bytes
  // it returns, so the caller's wait sees the stop pipe and (epoll) the other connections.
  // POLLOUT stays in interest(), so the level-triggered wait comes straight back.
  std::size_t budget = kWriteBudget;
  for (;;) {
    if (queued() == 0 && session_->wants_more() && !close_owed_ && state_ == State::kOpen) {
      if (budget == 0) return;
      proto::Output out;
      session_->produce(kProduceChunk, out);
      take(out);
    }
    if (queued() == 0) break;
    if (budget == 0) return;
    const auto r = net::send_some(fd(), std::as_bytes(std::span(pending_)).subspan(sent_));
    if (r.outcome == net::IoOutcome::kData) {
      budget -= std::min(budget, r.bytes);
      sent_ += r.bytes;  // a short write leaves the rest queued for the next POLLOUT
      if (sent_ == pending_.size()) {
        pending_.clear();
        sent_ = 0;
      }
      continue;
    }
    if (r.outcome == net::IoOutcome::kWouldBlock) return;
    if (r.outcome == net::IoOutcome::kError) {
      log_line("{}", net::errno_error(r.error, "send").message);
    }
    state_ = State::kFinished;  // reset or error: nobody is listening any more (STR-5)
    return;
  }
  if (close_owed_ && state_ == State::kOpen) start_closing();
}

void Connection::take(proto::Output& out) {
  if (state_ != State::kOpen || close_owed_) return;  // nothing is said after the last word
  if (!out.bytes.empty()) {
    if (pending_.empty()) {
      pending_ = std::move(out.bytes);
    } else {
      // Drop what was sent once it outweighs what is left (amortised O(1) a byte): a reader
      // that never quite catches up must not make the sent prefix grow without bound (STR-7).
      if (sent_ >= queued()) {
        pending_.erase(0, sent_);
        sent_ = 0;
      }
      pending_ += out.bytes;
    }
  }
  if (out.close_after) close_owed_ = true;
}

void Connection::start_closing() {
  if (peer_eof_) {
    state_ = State::kFinished;
    return;
  }
  // Closing with unread input would send RST and could destroy the reply in the client's
  // receive queue; send FIN instead and wait (bounded) for the client to close its side.
  if (!socket_.shutdown_write()) {
    state_ = State::kFinished;
    return;
  }
  state_ = State::kLingering;
  linger_deadline_ = std::chrono::steady_clock::now() + kLingerTimeout;
}

}  // namespace sockspec::server
