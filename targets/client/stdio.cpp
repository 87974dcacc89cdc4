// Byte-exact stdin/stdout loops over the sys seam.
#include "targets/client/stdio.hpp"

#include <fmt/core.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::client {
namespace {

std::string_view stream_name(int fd) {
  return fd == STDIN_FILENO ? "stdin" : fd == STDOUT_FILENO ? "stdout" : "file";
}

// Waits until `fd` has `events` or the deadline passes.
net::Status wait_until(int fd, short events, Clock::time_point deadline, std::string_view what) {
  const net::WaitResult w = net::wait_for(fd, events, -1, time_left(deadline));
  switch (w.outcome) {
    case net::WaitOutcome::kReady:
    case net::WaitOutcome::kStopped:  // no stop descriptor is passed: cannot happen
      return {};
    case net::WaitOutcome::kTimeout:
      return net::Error{fmt::format("{} {}: timed out", what, stream_name(fd)), ETIMEDOUT};
    case net::WaitOutcome::kError:
      break;
  }
  return net::errno_error(w.error, fmt::format("poll {}", stream_name(fd)));
}

}  // namespace

net::Result<std::string> read_all(int fd, Clock::time_point deadline) {
  std::string out;
  char buffer[65536];
  for (;;) {
    // Waiting first bounds a read from a pipe or terminal that has nothing yet; a regular
    // file always polls ready.
    if (auto w = wait_until(fd, POLLIN, deadline, "read"); !w) return w.error();
    const ssize_t n = net::sys::ops().read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return out;
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      // EINTR: a signal before any byte; EAGAIN: a non-blocking fd polled ready spuriously.
      return net::errno_error(errno, fmt::format("read {}", stream_name(fd)));
    }
  }
}

net::Status write_all(int fd, std::span<const std::byte> data, Clock::time_point deadline) {
  while (!data.empty()) {
    const ssize_t n = net::sys::ops().write(fd, data.data(), data.size());
    if (n >= 0) {
      data = data.subspan(static_cast<std::size_t>(n));  // a short write: send the rest
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      // stdout was handed to us non-blocking (a shared pipe): wait for room.
      if (auto w = wait_until(fd, POLLOUT, deadline, "write"); !w) return w;
    } else if (errno != EINTR) {
      // EPIPE (SIGPIPE is ignored), ENOSPC, EIO: the reply cannot be delivered.
      return net::errno_error(errno, fmt::format("write {}", stream_name(fd)));
    }
  }
  return {};
}

}  // namespace sockspec::client
