// Loopback sockets and bounded peer steps over targets/net.
#include "targets/testing/scripted_peers.hpp"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <stdexcept>

#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::testing {
namespace {

// True when `socket` became readable in time (not stopped, not timed out).
bool readable(const net::Socket& socket, int stop_fd) {
  return net::wait_for(socket.fd(), POLLIN, stop_fd, kPeerStepLimit).outcome ==
         net::WaitOutcome::kReady;
}

}  // namespace

PeerThread::PeerThread(std::function<void(int stop_fd)> body) {
  int fds[2] = {-1, -1};
  if (net::sys::ops().pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(net::errno_error(errno, "pipe2").message);
  }
  stop_read_.reset(fds[0]);
  stop_write_.reset(fds[1]);
  thread_ = std::jthread([body = std::move(body), fd = stop_read_.get()] { body(fd); });
}

void PeerThread::stop_and_join() {
  if (!thread_.joinable()) return;
  const char byte = 0;
  (void)net::sys::ops().write(stop_write_.get(), &byte, 1);
  thread_.join();
}

net::Socket tcp_listener(const std::string& host) {
  const net::Endpoint where = must(net::Endpoint::from_host(host, 0));
  net::Socket socket = must(net::Socket::tcp(where.family()));
  must(socket.bind(where));
  must(socket.listen(64));
  return socket;
}

net::Socket udp_bound(const std::string& host, std::uint16_t port) {
  const net::Endpoint where = must(net::Endpoint::from_host(host, port));
  net::Socket socket = must(net::Socket::udp(where.family()));
  must(socket.bind(where));
  return socket;
}

net::Endpoint local(const net::Socket& socket) {
  return must(socket.local_endpoint());
}

net::Endpoint closed_port(const std::string& host, int type) {
  const net::Endpoint where = must(net::Endpoint::from_host(host, 0));
  net::Socket socket = must(type == SOCK_STREAM ? net::Socket::tcp(where.family())
                                                : net::Socket::udp(where.family()));
  must(socket.bind(where));
  return local(socket);  // closed when `socket` goes out of scope
}

std::optional<net::Socket> accept_one(net::Acceptor& acceptor, int stop_fd) {
  for (;;) {
    if (!readable(acceptor.socket(), stop_fd)) return std::nullopt;
    auto accepted = acceptor.accept(false);
    if (!accepted) return std::nullopt;
    if (*accepted) return std::move((*accepted)->socket);
  }
}

std::optional<std::string> read_to_eof(const net::Socket& socket, int stop_fd) {
  std::string out;
  std::byte buffer[65536];
  for (;;) {
    if (!readable(socket, stop_fd)) return std::nullopt;
    const net::IoResult r = net::recv_some(socket.fd(), buffer);
    if (r.outcome == net::IoOutcome::kEof) return out;
    if (r.outcome != net::IoOutcome::kData) return std::nullopt;
    out.append(reinterpret_cast<const char*>(buffer), r.bytes);
  }
}

std::optional<std::string> read_lines(const net::Socket& socket, std::size_t count, int stop_fd) {
  std::string out;
  std::byte buffer[4096];
  std::size_t seen = 0;
  while (seen < count) {
    if (!readable(socket, stop_fd)) return std::nullopt;
    const net::IoResult r = net::recv_some(socket.fd(), buffer);
    if (r.outcome != net::IoOutcome::kData) return std::nullopt;
    const std::string_view chunk(reinterpret_cast<const char*>(buffer), r.bytes);
    for (const char c : chunk) seen += c == '\n' ? 1 : 0;
    out += chunk;
  }
  return out;
}

bool send_bytes(const net::Socket& socket, std::string_view data, int stop_fd) {
  const net::IoResult r =
      net::send_all(socket.fd(), std::as_bytes(std::span(data)), stop_fd, kPeerStepLimit);
  return r.outcome == net::IoOutcome::kData && r.bytes == data.size();
}

std::optional<Datagram> receive_from(const net::Socket& socket, int stop_fd) {
  for (;;) {
    if (!readable(socket, stop_fd)) return std::nullopt;
    auto d = net::receive_datagram(socket);
    if (!d) return std::nullopt;
    if (!*d) continue;
    const auto& payload = (*d)->payload;
    return Datagram{std::string(reinterpret_cast<const char*>(payload.data()), payload.size()),
                    (*d)->peer};
  }
}

bool send_to(const net::Socket& socket, std::string_view payload, const net::Endpoint& to) {
  return net::send_datagram(socket, std::as_bytes(std::span(payload)), to).ok();
}

std::string all_byte_values(std::size_t repeat) {
  std::string out;
  for (std::size_t r = 0; r < repeat; ++r) {
    for (int b = 0; b < 256; ++b) out += static_cast<char>(static_cast<unsigned char>(b));
  }
  return out;
}

}  // namespace sockspec::testing
