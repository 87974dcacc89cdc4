// The greeting and the probe of a protocol campaign, over targets/net and stream_io.
#include "harness/blackbox/protocol_io.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <array>

#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;
using State = ProtocolStatus::State;

ProtocolStatus failure(std::string detail) {
  return {State::failed, std::move(detail)};
}

ProtocolStatus from_stream(const StreamStatus& s, std::string_view what) {
  if (s.end == StreamEnd::stopped) return {State::stopped, "interrupted"};
  return failure(fmt::format("{}: connection {}", what, describe(s)));
}

ProtocolStatus send_all(int fd, std::string_view bytes, std::string& pending, Deadline deadline,
                        int stop_fd, std::string_view what) {
  const StreamStatus s =
      send_segments(fd, bytes, {}, pending, pending.size() + kReadSlack, deadline, stop_fd);
  if (s.end == StreamEnd::done) return {};
  return from_stream(s, fmt::format("sending {}", what));
}

ProtocolStatus probe_stream(const net::Endpoint& target, const Protocol& p,
                            std::chrono::milliseconds connect_timeout,
                            std::chrono::milliseconds reply_timeout, int stop_fd) {
  net::Result<net::Socket> s = connect_stream(target, connect_timeout);
  if (!s) return failure(s.error().message);
  const int fd = s->fd();
  std::string pending;
  if (ProtocolStatus g = greet(fd, p, pending, Clock::now() + reply_timeout, stop_fd); !g.ok())
    return g;
  const std::string what = fmt::format("exchange '{}'", p.probe_name);
  const Deadline deadline = Clock::now() + reply_timeout;
  if (ProtocolStatus sent = send_all(fd, p.probe_request, pending, deadline, stop_fd, what);
      !sent.ok())
    return sent;
  return read_reply(fd, p.probe_reply, pending, deadline, stop_fd,
                    fmt::format("the reply to {}", what));
}

ProtocolStatus probe_datagram(const net::Endpoint& target, const Protocol& p,
                              std::chrono::milliseconds reply_timeout, int stop_fd) {
  const std::string what = fmt::format("the reply to exchange '{}'", p.probe_name);
  net::Result<net::Socket> s = net::Socket::udp(target.family());
  if (!s) return failure("socket: " + s.error().message);
  if (net::Status c = s->connect(target); !c) return failure(c.error().message);
  const int fd = s->fd();
  const net::IoResult sent =
      net::send_some(fd, std::as_bytes(std::span(p.probe_request.data(), p.probe_request.size())));
  if (sent.outcome != net::IoOutcome::kData) {
    return failure(fmt::format("sending exchange '{}': {}", p.probe_name, errno_name(sent.error)));
  }
  const net::WaitResult w = net::wait_for(fd, POLLIN, stop_fd, reply_timeout);
  if (w.outcome == net::WaitOutcome::kStopped) return {State::stopped, "interrupted"};
  if (w.outcome != net::WaitOutcome::kReady) {
    return failure(fmt::format("{}: no datagram within {} ms", what, reply_timeout.count()));
  }
  std::array<std::byte, net::kMaxDatagram> buffer{};
  const net::IoResult r = net::recv_some(fd, buffer);
  if (r.outcome != net::IoOutcome::kData && r.outcome != net::IoOutcome::kEof) {
    return failure(fmt::format("{}: {}", what, errno_name(r.error)));
  }
  const std::string_view got(reinterpret_cast<const char*>(buffer.data()), r.bytes);
  std::string wrong = engine::match_datagram(p.probe_reply, got);
  if (wrong.empty()) return {};
  return failure(fmt::format("{}: expected {}, got {}", what, p.probe_reply.describe(), wrong));
}

}  // namespace

ProtocolStatus read_reply(int fd, const engine::Expected& expected, std::string& pending,
                          Deadline deadline, int stop_fd, std::string_view what) {
  ReplyPace pace;
  for (;;) {
    engine::StreamMatch m = engine::match_stream(expected, pending, false);
    StreamStatus got{};
    if (m.state == engine::StreamMatch::State::need_more) {
      // A length range ends at a short quiet once its least length is there (as the engine).
      const Deadline until = expected.settles() && pending.size() >= expected.length
                                 ? std::min(deadline, Clock::now() + engine::kSettle)
                                 : deadline;
      got = read_stream(fd, pending, pending.size() + 1, false, until, stop_fd, pace);
      if (got.end == StreamEnd::done) continue;
      if (got.end == StreamEnd::stopped) return {State::stopped, "interrupted"};
      m = engine::match_stream(expected, pending, true);
    }
    if (m.state == engine::StreamMatch::State::matched) {
      pending.erase(0, m.consumed);
      return {};
    }
    std::string end;
    if (got.end == StreamEnd::timeout) {
      end = fmt::format(" (nothing more within the reply timeout)");
    } else if (got.end != StreamEnd::done) {
      end = fmt::format(" (connection {})", describe(got));
    }
    return failure(
        fmt::format("{}: expected {}, got {}{}", what, expected.describe(), m.observed, end));
  }
}

ProtocolStatus greet(int fd, const Protocol& p, std::string& pending, Deadline deadline,
                     int stop_fd) {
  if (p.banner) {
    if (ProtocolStatus b = read_reply(fd, *p.banner, pending, deadline, stop_fd, "the banner");
        !b.ok())
      return b;
  }
  if (!p.hello) return {};
  if (ProtocolStatus s = send_all(fd, *p.hello, pending, deadline, stop_fd, "the hello"); !s.ok())
    return s;
  if (!p.hello_reply) return {};
  return read_reply(fd, *p.hello_reply, pending, deadline, stop_fd, "the reply to the hello");
}

ProtocolStatus probe(const net::Endpoint& target, const Protocol& protocol,
                     std::chrono::milliseconds connect_timeout,
                     std::chrono::milliseconds reply_timeout, int stop_fd) {
  if (protocol.transport == scenario::Transport::udp)
    return probe_datagram(target, protocol, reply_timeout, stop_fd);
  return probe_stream(target, protocol, connect_timeout, reply_timeout, stop_fd);
}

}  // namespace sockspec::blackbox
