// The main-loop wait of the iterative, threads and processes models.
#include "targets/server/listener_poll.hpp"

#include <cerrno>

#include "targets/net/sys.hpp"

namespace sockspec::server {

ListenerPoll::ListenerPoll(ServerContext& ctx, int wake_fd) : ctx_(ctx), wake_fd_(wake_fd) {}

net::Result<ReadySet> ListenerPoll::wait(bool accepting) {
  auto& tcp = ctx_.listeners.tcp;
  auto& udp = ctx_.listeners.udp;
  fds_.clear();
  fds_.push_back({ctx_.stop.fd(), POLLIN, 0});
  fds_.push_back({wake_fd_, POLLIN, 0});  // poll ignores a negative fd
  if (accepting) {
    for (const auto& a : tcp) fds_.push_back({a.fd(), POLLIN, 0});
    for (const auto& s : udp) fds_.push_back({s.fd(), POLLIN, 0});
  }
  while (net::sys::ops().poll(fds_.data(), fds_.size(), -1) < 0) {
    if (errno != EINTR) return net::errno_error(errno, "poll");
  }
  ReadySet ready;
  if (fds_[0].revents != 0) {
    ready.stop = true;
    return ready;
  }
  ready.wake = fds_[1].revents != 0;
  if (!accepting) return ready;
  for (std::size_t i = 0; i < tcp.size(); ++i) {
    if (fds_[2 + i].revents != 0) ready.tcp.push_back(&tcp[i]);
  }
  for (std::size_t i = 0; i < udp.size(); ++i) {
    if (fds_[2 + tcp.size() + i].revents != 0) ready.udp.push_back(&udp[i]);
  }
  return ready;
}

}  // namespace sockspec::server
