// send_segments / read_stream over targets/net's classified I/O.
#include "harness/blackbox/stream_io.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds left(Deadline deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()));
}

StreamStatus from_io(const net::IoResult& r) {
  if (r.outcome == net::IoOutcome::kEof) return {StreamEnd::eof, 0};
  if (r.outcome == net::IoOutcome::kReset) return {StreamEnd::reset, r.error};
  return {StreamEnd::error, r.error};
}

// One recv() into `received` (at most up to `cap` bytes in all). kData also when the cap is
// reached (the rest stays in the kernel).
net::IoResult take(int fd, std::string& received, std::size_t cap) {
  thread_local std::array<std::byte, 64 * 1024> buffer;
  const std::size_t room = cap > received.size() ? cap - received.size() : 0;
  if (room == 0) return {net::IoOutcome::kData, 0, 0};
  const net::IoResult r = net::recv_some(fd, {buffer.data(), std::min(room, buffer.size())});
  if (r.outcome == net::IoOutcome::kData) {
    received.append(reinterpret_cast<const char*>(buffer.data()), r.bytes);
  }
  return r;
}

// Acknowledge at once what arrives next. A server that leaves Nagle on holds back a small echo
// while its previous one is unacknowledged; our delayed ACK (up to 40 ms) would then pace the
// whole exchange. TCP_QUICKACK is not sticky, so it is set before each such wait. Only data we
// were sent can be unacknowledged: the first part of a reply is never held back (our request
// acknowledged what came before it), so a wait for the rest of a partly arrived reply is the
// one that needs it.
void quick_ack(int fd) {
  const int on = 1;
  (void)net::sys::ops().setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
}

}  // namespace

StreamStatus send_segments(int fd, std::string_view data, std::span<const std::size_t> segments,
                           std::string& received, std::size_t read_cap, Deadline deadline,
                           int stop_fd) {
  const std::array<std::size_t, 1> whole{data.size()};
  if (segments.empty()) segments = whole;
  bool eof = false;
  std::size_t at = 0;
  for (std::size_t i = 0; i < segments.size() && at < data.size(); ++i) {
    // The last segment takes what is left, whatever the sizes say.
    const std::size_t end =
        i + 1 == segments.size() ? data.size() : std::min(data.size(), at + segments[i]);
    while (at < end) {
      const auto piece = std::as_bytes(std::span(data.data() + at, end - at));
      const net::IoResult r = net::send_some(fd, piece);
      if (r.outcome == net::IoOutcome::kData) {
        at += r.bytes;
        continue;
      }
      if (r.outcome != net::IoOutcome::kWouldBlock) return from_io(r);
      // No room: the server may be blocked on answering us; take its answer in meanwhile.
      const short events = static_cast<short>(POLLOUT | (eof ? 0 : POLLIN));
      const net::WaitResult w = net::wait_for(fd, events, stop_fd, left(deadline));
      if (w.outcome == net::WaitOutcome::kStopped) return {StreamEnd::stopped, 0};
      if (w.outcome == net::WaitOutcome::kTimeout) return {StreamEnd::timeout, 0};
      if (w.outcome == net::WaitOutcome::kError) return {StreamEnd::error, w.error};
      if (!eof && (w.revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const net::IoResult got = take(fd, received, read_cap);
        if (got.outcome == net::IoOutcome::kEof) eof = true;
        if (got.outcome == net::IoOutcome::kReset || got.outcome == net::IoOutcome::kError)
          return from_io(got);
      }
    }
  }
  return {eof ? StreamEnd::eof : StreamEnd::done, 0};
}

StreamStatus read_stream(int fd, std::string& received, std::size_t want, bool to_eof,
                         Deadline deadline, int stop_fd, ReplyPace& pace) {
  const std::size_t cap = want + kReadSlack;
  bool guessing = true;     // the first recv() is pace's guess
  bool read_first = false;  // more may be there already: recv() before waiting
  for (;;) {
    if (!to_eof && received.size() >= want) {
      if (want != 0) return {StreamEnd::done, 0};
      // Nothing owed: take only what already arrived (a stray byte shows a wrong reply).
      const net::IoResult r = take(fd, received, cap);
      if (r.outcome == net::IoOutcome::kData || r.outcome == net::IoOutcome::kWouldBlock)
        return {StreamEnd::done, 0};
      return from_io(r);
    }
    if (received.size() >= cap) return {to_eof ? StreamEnd::timeout : StreamEnd::done, 0};
    if (guessing) read_first = pace.read_first();
    if (!read_first) {
      guessing = false;
      if (!received.empty() && received.size() < want) quick_ack(fd);
      const net::WaitResult w = net::wait_for(fd, POLLIN, stop_fd, left(deadline));
      if (w.outcome == net::WaitOutcome::kStopped) return {StreamEnd::stopped, 0};
      if (w.outcome == net::WaitOutcome::kTimeout) return {StreamEnd::timeout, 0};
      if (w.outcome == net::WaitOutcome::kError) return {StreamEnd::error, w.error};
    }
    const net::IoResult r = take(fd, received, cap);
    if (guessing) pace.saw(r.outcome != net::IoOutcome::kWouldBlock);
    guessing = false;
    if (r.outcome == net::IoOutcome::kData) {
      read_first = true;  // more of the reply, or the close after it, is often queued behind
      continue;
    }
    if (r.outcome == net::IoOutcome::kEof) return {to_eof ? StreamEnd::done : StreamEnd::eof, 0};
    if (r.outcome != net::IoOutcome::kWouldBlock) return from_io(r);
    read_first = false;
  }
}

net::Result<net::Socket> connect_stream(const net::Endpoint& peer,
                                        std::chrono::milliseconds timeout) {
  const auto failed = [&peer](int code) {
    return net::errno_error(code, fmt::format("connect {}", peer.to_string()));
  };
  const int fd =
      net::sys::ops().socket(peer.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return net::errno_error(errno, "socket(tcp)");
  net::Socket socket{net::Fd(fd)};
  if (net::sys::ops().connect(fd, peer.sockaddr_ptr(), peer.size()) == 0) return socket;
  // EINPROGRESS: the handshake goes on; EINTR: it goes on too (connect(2)). Anything else failed.
  if (errno != EINPROGRESS && errno != EINTR) return failed(errno);
  const net::WaitResult w = net::wait_for(fd, POLLOUT, -1, timeout);
  if (w.outcome == net::WaitOutcome::kTimeout) {
    return net::Error{
        fmt::format("connect {}: timed out after {} ms", peer.to_string(), timeout.count()),
        ETIMEDOUT};
  }
  if (w.outcome != net::WaitOutcome::kReady) return failed(w.error);
  // A failed connect sets the socket's error, which poll reports as POLLERR.
  if ((w.revents & (POLLERR | POLLHUP)) != 0) {
    int error = 0;
    socklen_t len = sizeof error;
    if (net::sys::ops().getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
      return failed(errno);
    if (error != 0) return failed(error);
  }
  return socket;
}

std::string errno_name(int e) {
  const char* name = ::strerrorname_np(e);
  return name != nullptr ? name : std::to_string(e);
}

std::string describe(const StreamStatus& s) {
  switch (s.end) {
    case StreamEnd::done:
      return "done";
    case StreamEnd::eof:
      return "closed by the target (EOF)";
    case StreamEnd::reset:
      return "reset by the target (" + errno_name(s.error) + ")";
    case StreamEnd::timeout:
      return "timed out";
    case StreamEnd::stopped:
      return "interrupted";
    case StreamEnd::error:
      return "error " + errno_name(s.error);
  }
  return "?";
}

}  // namespace sockspec::blackbox
