// FloorClient: three minimal echo clients over blocking sockets.
#include "harness/cli/fuzz_floor.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::cli {
namespace {

using blackbox::Mode;

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kCheckEvery = 16;  // execs between looks at the clock, as the campaign

// Sends all of `data` on the blocking socket `fd`.
bool send_whole(int fd, std::span<const std::byte> data) {
  const net::IoResult r = net::send_all(fd, data, -1, std::chrono::milliseconds(-1));
  return r.outcome == net::IoOutcome::kData && r.bytes == data.size();
}

// Receives `want` bytes (to_eof: then the EOF) on the blocking socket `fd`.
bool receive(int fd, std::span<std::byte> buffer, std::size_t want, bool to_eof) {
  std::size_t got = 0;
  while (got < want || to_eof) {
    const net::IoResult r = net::recv_some(fd, buffer);
    if (r.outcome == net::IoOutcome::kEof) return to_eof && got == want;
    if (r.outcome != net::IoOutcome::kData) return false;
    got += r.bytes;
  }
  return got == want;
}

}  // namespace

net::Result<FloorClient> FloorClient::open(Mode mode, const net::Endpoint& target) {
  FloorClient client(mode, target);
  if (mode == Mode::per_connection) return client;
  net::Result<net::Socket> s = mode == Mode::datagram ? net::Socket::udp(target.family())
                                                      : net::Socket::tcp(target.family());
  if (!s) return s.error();
  if (net::Status c = s->connect(target); !c) return c.error();
  if (mode == Mode::datagram) {
    // Set once: the only guard against a lost datagram.
    const timeval limit{1, 0};
    if (net::sys::ops().setsockopt(s->fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0)
      return net::errno_error(errno, "setsockopt SO_RCVTIMEO");
  }
  client.socket_ = std::move(s).value();
  return client;
}

bool FloorClient::exchange_one(std::size_t size) {
  const std::span<const std::byte> input(out_.data(), size);
  switch (mode_) {
    case Mode::persistent:
      if (size == 0) return true;
      return send_whole(socket_.fd(), input) && receive(socket_.fd(), in_, size, false);
    case Mode::datagram: {
      // One send() even for an empty datagram (send_all would send nothing).
      const net::IoResult sent = net::send_some(socket_.fd(), input);
      if (sent.outcome != net::IoOutcome::kData || sent.bytes != size) return false;
      const net::IoResult r = net::recv_some(socket_.fd(), in_);
      return (r.outcome == net::IoOutcome::kData || r.outcome == net::IoOutcome::kEof) &&
             r.bytes == size;
    }
    case Mode::per_connection: {
      net::Result<net::Socket> c = net::Socket::tcp(target_.family());
      if (!c || !c->connect(target_)) return false;
      if (size != 0 && !send_whole(c->fd(), input)) return false;
      return c->shutdown_write().ok() && receive(c->fd(), in_, size, true);
    }
  }
  return false;
}

net::Status FloorClient::run(std::span<const std::uint32_t> sizes,
                             std::chrono::nanoseconds duration) {
  if (sizes.empty()) return net::Error{"no input sizes"};
  const std::size_t longest = *std::max_element(sizes.begin(), sizes.end());
  if (out_.size() < longest) out_.resize(longest, std::byte{'A'});  // echo ignores the content
  const auto start = Clock::now();
  const auto deadline = start + duration;
  net::Status status;
  for (std::uint64_t n = 0;; ++n) {
    if (n % kCheckEvery == 0 && Clock::now() >= deadline) break;
    const std::size_t size = sizes[n % sizes.size()];
    if (!exchange_one(size)) {
      status = net::Error{fmt::format("exec {}: the {}-byte echo did not come back", execs_, size)};
      break;
    }
    ++execs_;
    bytes_ += size;
  }
  seconds_ += std::chrono::duration<double>(Clock::now() - start).count();
  return status;
}

}  // namespace sockspec::cli
