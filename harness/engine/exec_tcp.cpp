// The TCP steps: connect, send, expect, expect-eof, expect-reset, expect-silence, shutdown,
// abort, close.
#include <fmt/format.h>
#include <sys/socket.h>

#include <cerrno>
#include <random>
#include <thread>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"
#include "harness/scenario/units.hpp"

namespace sockspec::engine {

using scenario::Transport;
namespace step = scenario::step;

namespace {

Clock::time_point deadline_after(scenario::Duration d) {
  return Clock::now() + d;
}

std::string errno_text(int error) {
  return net::errno_error(error, "").message.substr(2);
}

// Parses "127.0.0.2", "[::1]:5000" or "127.0.0.1:0" as a local address to bind.
net::Result<net::Endpoint> local_endpoint(const std::string& text) {
  if (auto e = net::Endpoint::parse(text)) return e;
  return net::Endpoint::from_host(text, 0);
}

// What on `peer` rules out the end `awaited` ("" while nothing does); `earlier`: it came before
// the step read anything.
std::string ruled_out(const TcpPeer& peer, AwaitedEnd awaited, bool earlier) {
  switch (awaited) {
    case AwaitedEnd::eof:
      if (!peer.pending.empty()) {
        return (peer.eof ? "unread data before it " : "unexpected data ") +
               show_bytes(peer.pending);
      }
      return !peer.eof && peer.reset ? "the connection was reset (RST), not closed" : "";
    case AwaitedEnd::reset:
      return !peer.reset && peer.eof ? "an orderly close (FIN)" : "";
    case AwaitedEnd::nothing:
      if (!peer.pending.empty())
        return (earlier ? "unread data " : "data ") + show_bytes(peer.pending);
      if (peer.eof) return earlier ? "EOF, earlier" : "EOF: the peer closed the connection";
      return !earlier && peer.reset ? "the connection was reset" : "";
  }
  return "";
}

}  // namespace

void Executor::exec(const Step& st, const step::Connect& k) {
  const int af = family_af(k.family);
  const net::Endpoint to = target_endpoint(st, Transport::tcp);
  net::Result<net::Socket> sock = net::Socket::tcp(af);
  if (!sock) fail(st, "a TCP socket", sock.error().message);
  if (k.local) {
    net::Result<net::Endpoint> local = local_endpoint(render(st, *k.local, vars()));
    if (!local) fail(st, "a local address to bind", local.error().message);
    if (net::Status b = sock->bind(*local); !b)
      fail(st, "a bound local address", b.error().message);
  }
  if (net::Status nd = sock->set_no_delay(); !nd) fail(st, "TCP_NODELAY", nd.error().message);
  const net::Status c =
      sock->connect_within(to, std::chrono::duration_cast<std::chrono::milliseconds>(k.within));
  // ECONNRESET: the handshake completed and the peer reset the connection before we looked (a
  // server that resets at once). The connection existed; later steps see the reset.
  const bool reset = !c && c.error().code == ECONNRESET;
  if (!c && !reset) fail(st, fmt::format("a connection to {}", to.to_string()), c.error().message);
  TcpPeer peer;
  peer.reset = reset;
  peer.local = sock->local_endpoint() ? sock->local_endpoint()->to_string() : std::string();
  peer.socket = std::move(sock).value();
  s_.env.transcript.event(s_.label(k.as), fmt::format("connected {} -> {}{}", peer.local,
                                                      to.to_string(), reset ? ", then reset" : ""));
  s_.tcp.insert_or_assign(k.as, std::move(peer));
}

// `send: {offer: T}`: writes what the peer takes, in chunks, until all is taken, the peer has
// taken nothing for 1 s, or T has passed; a peer that stops reading is the point, not a failure.
void Executor::offer(const Step& st, const std::string& on, scenario::Duration limit, TcpPeer& peer,
                     const std::string& bytes) {
  constexpr std::size_t kChunk = 64 * 1024;
  constexpr auto kStall = std::chrono::seconds(1);
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + limit;
  std::size_t done = 0;
  while (done < bytes.size() && Clock::now() < end) {
    const std::size_t n = std::min(kChunk, bytes.size() - done);
    const WriteResult w = write_all(peer.socket, std::string_view(bytes).substr(done, n),
                                    TransferLimit{kStall, end}, s_.env.stop_fd, nullptr);
    done += w.written;
    if (w.outcome == WriteOutcome::interrupted) throw Interrupted();
    if (w.outcome == WriteOutcome::reset || w.outcome == WriteOutcome::error) {
      fail(st, fmt::format("{} bytes offered", bytes.size()),
           fmt::format("the connection failed after {} bytes ({})", done, errno_text(w.error)));
    }
    if (w.outcome == WriteOutcome::timeout && w.written == 0) break;  // it stopped taking
  }
  s_.env.transcript.sent(s_.label(on), std::string_view(bytes).substr(0, done));
  s_.env.transcript.event(
      s_.label(on),
      fmt::format(
          "offered {} bytes; the peer took {} in {} ms", bytes.size(), done,
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()));
}

void Executor::write_piece(const Step& st, TcpPeer& peer, std::string_view piece, std::size_t total,
                           std::size_t& done, Clock::time_point started, std::string* drain) {
  const WriteResult w =
      write_all(peer.socket, piece, TransferLimit{kStallLimit}, s_.env.stop_fd, drain);
  done += w.written;
  if (w.outcome == WriteOutcome::interrupted) throw Interrupted();
  if (w.outcome == WriteOutcome::reset) {
    fail(st, fmt::format("{} bytes sent", total),
         fmt::format("the connection was reset after {} bytes ({})", done, errno_text(w.error)));
  }
  if (w.outcome == WriteOutcome::timeout) {
    fail(st, fmt::format("{} bytes sent", total),
         describe_stall(done, total, w.last_progress - started, kStallLimit, drain != nullptr));
  }
  if (w.outcome == WriteOutcome::error) {
    fail(st, fmt::format("{} bytes sent", total), errno_text(w.error));
  }
}

void Executor::send_bytes(const Step& st, TcpPeer& peer, const std::string& on,
                          std::string_view bytes, bool drain) {
  const std::size_t before = peer.pending.size();
  std::size_t done = 0;
  write_piece(st, peer, bytes, bytes.size(), done, Clock::now(), drain ? &peer.pending : nullptr);
  s_.env.transcript.sent(s_.label(on), bytes);
  if (peer.pending.size() > before) {
    s_.env.transcript.received(s_.label(on), std::string_view(peer.pending).substr(before));
  }
}

void Executor::exec(const Step& st, const step::Send& k) {
  TcpPeer& peer = tcp(st, k.on);
  const std::string bytes = bytes_of(st, k.data, vars(k.on));
  if (k.offer) return offer(st, k.on, *k.offer, peer, bytes);
  peer.sent += bytes;
  if (k.with_fin) cork(st, peer);
  std::string* drain = k.concurrent_read ? &peer.pending : nullptr;
  const std::size_t before = peer.pending.size();
  const Clock::time_point started = Clock::now();
  std::size_t done = 0;
  std::size_t pieces = 0;
  while (done < bytes.size() || (bytes.empty() && pieces == 0)) {
    std::size_t n = bytes.size() - done;
    if (k.segments) {
      std::uniform_int_distribution<std::uint64_t> size(k.segments->size.min, k.segments->size.max);
      n = std::min<std::size_t>(
          n, static_cast<std::size_t>(std::max<std::uint64_t>(1, size(s_.random))));
      if (pieces > 0 && k.segments->gap.max.count() > 0) {
        std::uniform_int_distribution<std::int64_t> gap(k.segments->gap.min.count(),
                                                        k.segments->gap.max.count());
        std::this_thread::sleep_for(std::chrono::microseconds(gap(s_.random)));
      }
    }
    write_piece(st, peer, std::string_view(bytes).substr(done, n), bytes.size(), done, started,
                drain);
    ++pieces;
    if (bytes.empty()) break;
  }
  s_.env.transcript.sent(s_.label(k.on), bytes);
  if (k.segments) {
    s_.env.transcript.event(s_.label(k.on), fmt::format("in {} segments", pieces));
  }
  if (peer.pending.size() > before) {
    s_.env.transcript.received(s_.label(k.on), std::string_view(peer.pending).substr(before));
  }
  if (k.with_fin) shutdown_with_last_segment(st, peer, k.on);
}

void Executor::cork(const Step& st, TcpPeer& peer) {
  if (net::Status s = peer.socket.set_cork(true); !s) fail(st, "TCP_CORK", s.error().message);
}

void Executor::shutdown_with_last_segment(const Step& st, TcpPeer& peer, const std::string& on) {
  if (net::Status s = peer.socket.shutdown(SHUT_WR); !s) fail(st, "shutdown", s.error().message);
  s_.env.transcript.event(s_.label(on), "shutdown (the FIN with the last segment)");
}

void Executor::exec(const Step& st, const step::Expect& k) {
  TcpPeer& peer = tcp(st, k.on);
  const bool same_as_sent = std::holds_alternative<scenario::SameAsSent>(k.match);
  receive(st, peer, k.on, expected_of(st, k.match, peer.sent, vars(k.on)), k.within);
  if (same_as_sent) peer.sent.clear();
}

ReadOutcome Executor::read_into(const Step& st, TcpPeer& peer, const std::string& on,
                                Clock::time_point deadline, std::string_view want) {
  const ReadResult r = read_some(peer.socket, deadline, s_.env.stop_fd);
  switch (r.outcome) {
    case ReadOutcome::data:
      peer.received_total += r.bytes.size();
      s_.env.transcript.received(s_.label(on), r.bytes);
      peer.pending += r.bytes;
      break;
    case ReadOutcome::eof:
      peer.eof = true;
      s_.env.transcript.event(s_.label(on), "EOF");
      break;
    case ReadOutcome::reset:
      peer.reset = true;
      s_.env.transcript.event(s_.label(on), "connection reset");
      break;
    case ReadOutcome::timeout:
      break;
    case ReadOutcome::interrupted:
      throw Interrupted();
    case ReadOutcome::error:
      fail(st, std::string(want), errno_text(r.error));
  }
  return r.outcome;
}

// `within` bounds each wait for more bytes, not the whole reply: the step fails once nothing
// arrived for `within` (before the first byte, or since the last one), so a reply that keeps
// coming, however slowly, is read to its end (bounded: each wait adds a byte or ends the step).
void Executor::receive(const Step& st, TcpPeer& peer, const std::string& on, const Expected& want,
                       scenario::Duration within, std::string_view what) {
  const Clock::time_point started = Clock::now();
  Clock::time_point last_byte = started;
  std::uint64_t arrived = 0;
  std::string ending;
  bool quiet = false;  // a length range: the stream went quiet once enough had come
  const std::string expected =
      what.empty() ? want.describe() : fmt::format("{}: {}", what, want.describe());
  for (;;) {
    const bool final = quiet || !ending.empty() || peer.eof || peer.reset;
    const StreamMatch m = match_stream(want, peer.pending, final);
    if (m.state == StreamMatch::State::matched) {
      peer.pending.erase(0, m.consumed);
      return;
    }
    if (m.state == StreamMatch::State::mismatch) {
      if (ending.empty() && peer.eof) ending = "; then EOF";
      if (ending.empty() && peer.reset) ending = "; then the connection was reset";
      fail(st, expected, m.observed + ending);
    }
    const Clock::time_point stalled = last_byte + within;
    const bool settling = want.settles() && peer.pending.size() >= want.length;
    const std::size_t before = peer.received_total;
    const ReadOutcome r = read_into(
        st, peer, on, settling ? std::min(stalled, Clock::now() + kSettle) : stalled, expected);
    if (r == ReadOutcome::data) {
      last_byte = Clock::now();
      arrived += peer.received_total - before;
    } else if (r == ReadOutcome::timeout && settling) {
      quiet = true;
    } else if (r == ReadOutcome::timeout) {
      ending = fmt::format("; nothing more within {}", scenario::format_duration(within));
      if (arrived > 0) {
        ending += fmt::format(" (after {} in this step)",
                              describe_transfer(arrived, last_byte - started));
      }
    }
  }
}

void Executor::exec(const Step& st, const step::ExpectEof& k) {
  await_end(st, tcp(st, k.on), k.on, AwaitedEnd::eof, k.within);
}

void Executor::exec(const Step& st, const step::ExpectReset& k) {
  await_end(st, tcp(st, k.on), k.on, AwaitedEnd::reset, k.within);
}

void Executor::exec(const Step& st, const step::ExpectSilence& k) {
  await_end(st, tcp(st, k.on), k.on, AwaitedEnd::nothing, k.for_);
}

void Executor::await_end(const Step& st, TcpPeer& peer, const std::string& on, AwaitedEnd awaited,
                         scenario::Duration within) {
  const std::string want =
      awaited == AwaitedEnd::eof ? std::string("EOF (the peer closed its side)")
      : awaited == AwaitedEnd::reset
          ? std::string("a reset (RST)")
          : fmt::format("nothing at all for {}", scenario::format_duration(within));
  const Clock::time_point deadline = deadline_after(within);
  for (bool earlier = true;; earlier = false) {
    if (const std::string seen = ruled_out(peer, awaited, earlier); !seen.empty()) {
      fail(st, want, seen);
    }
    if (awaited == AwaitedEnd::eof && peer.eof) return;
    // Bytes before a reset do not matter: a reset may come while the peer still sends.
    if (awaited == AwaitedEnd::reset) peer.pending.clear();
    if (awaited == AwaitedEnd::reset && peer.reset) return;
    if (read_into(st, peer, on, deadline, want) == ReadOutcome::timeout) {
      if (awaited == AwaitedEnd::nothing) return;
      fail(st, want,
           fmt::format("the connection stayed open for {}", scenario::format_duration(within)));
    }
  }
}

void Executor::exec(const Step& st, const step::Shutdown& k) {
  TcpPeer& peer = tcp(st, k.on);
  const int how = k.how == scenario::ShutdownHow::write  ? SHUT_WR
                  : k.how == scenario::ShutdownHow::read ? SHUT_RD
                                                         : SHUT_RDWR;
  if (net::Status s = peer.socket.shutdown(how); !s) fail(st, "shutdown", s.error().message);
  s_.env.transcript.event(s_.label(k.on), "shutdown");
}

void Executor::exec(const Step& st, const step::Abort& k) {
  TcpPeer& peer = tcp(st, k.on);
  if (net::Status s = peer.socket.set_linger_zero(); !s) fail(st, "SO_LINGER 0", s.error().message);
  s_.tcp.erase(k.on);  // close() with linger 0 sends RST
  s_.env.transcript.event(s_.label(k.on), "abort (RST)");
}

void Executor::exec(const Step&, const step::Close& k) {
  s_.tcp.erase(k.on);
  s_.udp.erase(k.on);
  s_.listeners.erase(k.on);
  s_.env.transcript.event(s_.label(k.on), "close");
}

}  // namespace sockspec::engine
