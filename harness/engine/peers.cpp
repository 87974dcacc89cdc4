// Bounded reads and writes of the harness's own sockets (see peers.hpp).
#include "harness/engine/peers.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <cstddef>

#include "harness/scenario/units.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;

std::span<std::byte> as_writable(std::string& s) {
  return {reinterpret_cast<std::byte*>(s.data()), s.size()};
}

std::span<const std::byte> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace

std::chrono::milliseconds left(Clock::time_point deadline) {
  const auto rest = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(rest, std::chrono::milliseconds(0));
}

ReadResult read_some(const net::Socket& socket, Clock::time_point deadline, int stop_fd) {
  for (;;) {
    const net::WaitResult w = net::wait_for(socket.fd(), POLLIN, stop_fd, left(deadline));
    switch (w.outcome) {
      case net::WaitOutcome::kTimeout:
        return {ReadOutcome::timeout, {}, 0};
      case net::WaitOutcome::kStopped:
        return {ReadOutcome::interrupted, {}, 0};
      case net::WaitOutcome::kError:
        return {ReadOutcome::error, {}, w.error};
      case net::WaitOutcome::kReady:
        break;
    }
    std::string buffer(kReadChunk, '\0');
    const net::IoResult r = net::recv_some(socket.fd(), as_writable(buffer));
    switch (r.outcome) {
      case net::IoOutcome::kData:
        buffer.resize(r.bytes);
        return {ReadOutcome::data, std::move(buffer), 0};
      case net::IoOutcome::kEof:
        return {ReadOutcome::eof, {}, 0};
      case net::IoOutcome::kReset:
        return {ReadOutcome::reset, {}, r.error};
      case net::IoOutcome::kWouldBlock:
        continue;  // a spurious wake-up: wait again, the deadline still bounds us
      case net::IoOutcome::kError:
        return {ReadOutcome::error, {}, r.error};
    }
  }
}

Clock::time_point TransferLimit::until(Clock::time_point last_progress) const {
  return last_progress + std::min(stall, deadline - last_progress);
}

WriteResult write_all(const net::Socket& socket, std::string_view bytes, const TransferLimit& limit,
                      int stop_fd, std::string* drained) {
  std::size_t done = 0;
  std::string buffer;
  bool draining = drained != nullptr;
  Clock::time_point last = Clock::now();
  // Bounded: each round either moves bytes or waits until the limit, which nothing moves.
  while (done < bytes.size()) {
    const short events = static_cast<short>(POLLOUT | (draining ? POLLIN : 0));
    const net::WaitResult w = net::wait_for(socket.fd(), events, stop_fd, left(limit.until(last)));
    if (w.outcome == net::WaitOutcome::kTimeout) return {WriteOutcome::timeout, done, 0, last};
    if (w.outcome == net::WaitOutcome::kStopped) return {WriteOutcome::interrupted, done, 0, last};
    if (w.outcome == net::WaitOutcome::kError) return {WriteOutcome::error, done, w.error, last};
    if (draining && (w.revents & POLLIN) != 0) {
      buffer.resize(kReadChunk);
      const net::IoResult r = net::recv_some(socket.fd(), as_writable(buffer));
      if (r.outcome == net::IoOutcome::kData) {
        drained->append(buffer.data(), r.bytes);
        last = Clock::now();
      }
      // EOF or a reset while sending: stop draining (poll would report it again and again); the
      // send reports the reset, a later read the EOF.
      if (r.outcome == net::IoOutcome::kEof || r.outcome == net::IoOutcome::kReset) {
        draining = false;
      }
    }
    if ((w.revents & (POLLOUT | POLLERR | POLLHUP)) == 0) continue;
    const net::IoResult r = net::send_some(socket.fd(), as_bytes(bytes.substr(done)));
    switch (r.outcome) {
      case net::IoOutcome::kData:
        done += r.bytes;
        last = Clock::now();
        break;
      case net::IoOutcome::kWouldBlock:
        break;
      case net::IoOutcome::kReset:
      case net::IoOutcome::kEof:
        return {WriteOutcome::reset, done, r.error, last};
      case net::IoOutcome::kError:
        return {WriteOutcome::error, done, r.error, last};
    }
  }
  return {WriteOutcome::done, done, 0, last};
}

std::string describe_transfer(std::uint64_t bytes, Clock::duration took) {
  const auto amount = [](double n, std::string_view per) {
    if (n >= 1024.0 * 1024.0) return fmt::format("{:.1f} MiB{}", n / (1024.0 * 1024.0), per);
    if (n >= 1024.0) return fmt::format("{:.1f} KiB{}", n / 1024.0, per);
    return fmt::format("{:.0f} {}{}", n, n == 1.0 && per.empty() ? "byte" : "bytes", per);
  };
  const std::string moved = amount(static_cast<double>(bytes), "");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (ms <= 0) return moved;
  return fmt::format("{} at {}", moved,
                     amount(static_cast<double>(bytes) * 1000.0 / static_cast<double>(ms), "/s"));
}

std::string describe_stall(std::uint64_t done, std::uint64_t total, Clock::duration active,
                           Clock::duration stall, bool drained) {
  const std::string after =
      done == 0 ? std::string() : fmt::format(" after {}", describe_transfer(done, active));
  return fmt::format(
      "only {} of {} bytes sent: the peer stopped reading: no byte accepted{} for {}{}", done,
      total, drained ? " and none received" : "",
      scenario::format_duration(std::chrono::duration_cast<scenario::Duration>(stall)), after);
}

}  // namespace sockspec::engine
