// Classification of stream errors and the bounded wait loop.
#include "targets/net/io.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

using SteadyClock = std::chrono::steady_clock;

IoResult classify(ssize_t n, int err, bool is_recv) {
  if (n > 0) return {IoOutcome::kData, static_cast<std::size_t>(n), 0};
  if (n == 0) return {is_recv ? IoOutcome::kEof : IoOutcome::kData, 0, 0};
  switch (err) {
    case EAGAIN:
#if EAGAIN != EWOULDBLOCK
    case EWOULDBLOCK:
#endif
      return {IoOutcome::kWouldBlock, 0, err};
    // The peer reset or vanished: expected on any network, handled by closing our end.
    case ECONNRESET:
    case EPIPE:
    case ETIMEDOUT:
    case EHOSTUNREACH:
    case ENETUNREACH:
      return {IoOutcome::kReset, 0, err};
    // EBADF, EFAULT, EINVAL, ENOTSOCK, ENOMEM...: a bug or resource exhaustion.
    default:
      return {IoOutcome::kError, 0, err};
  }
}

}  // namespace

IoResult recv_some(int fd, std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t n = sys::ops().recv(fd, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;  // a signal arrived before any data: try again
    return classify(n, n < 0 ? errno : 0, true);
  }
}

IoResult send_some(int fd, std::span<const std::byte> data) {
  for (;;) {
    const ssize_t n = sys::ops().send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;  // interrupted before sending anything
    return classify(n, n < 0 ? errno : 0, false);
  }
}

WaitResult wait_for(int fd, short events, int stop_fd, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
  const nfds_t count = stop_fd >= 0 ? 2 : 1;
  for (;;) {
    int wait_ms = -1;
    if (timeout.count() >= 0) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
      wait_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
    }
    const int n = sys::ops().poll(fds, count, wait_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      return {WaitOutcome::kError, 0, errno};
    }
    if (count == 2 && fds[1].revents != 0) return {WaitOutcome::kStopped, 0, 0};
    if (n > 0 && fds[0].revents != 0) return {WaitOutcome::kReady, fds[0].revents, 0};
    if (n == 0) return {WaitOutcome::kTimeout, 0, 0};
  }
}

IoResult send_all(int fd, std::span<const std::byte> data, int stop_fd,
                  std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::size_t sent = 0;
  while (sent < data.size()) {
    const IoResult r = send_some(fd, data.subspan(sent));
    if (r.outcome == IoOutcome::kData) {
      sent += r.bytes;
      continue;
    }
    if (r.outcome != IoOutcome::kWouldBlock) return {r.outcome, sent, r.error};
    auto left = std::chrono::milliseconds(-1);
    if (timeout.count() >= 0) {
      left = std::max(std::chrono::milliseconds(0),
                      std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now()));
    }
    const WaitResult w = wait_for(fd, POLLOUT, stop_fd, left);
    if (w.outcome == WaitOutcome::kStopped || w.outcome == WaitOutcome::kTimeout) {
      return {IoOutcome::kWouldBlock, sent, 0};
    }
    if (w.outcome == WaitOutcome::kError) return {IoOutcome::kError, sent, w.error};
  }
  return {IoOutcome::kData, sent, 0};
}

}  // namespace sockspec::net
