// Epoll: an owned epoll instance (level-triggered) for the epoll model.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <span>

#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::server {

class Epoll {
 public:
  [[nodiscard]] static net::Result<Epoll> create();

  // `events` are poll-style bits (POLLIN, POLLOUT): Linux gives EPOLLIN/EPOLLOUT the same values.
  net::Status add(int fd, short events);
  net::Status modify(int fd, short events);
  void remove(int fd);

  // Waits up to `timeout` (negative: no limit); returns how many of `out` were filled.
  // EINTR is a wake-up with nothing ready (0).
  [[nodiscard]] net::Result<int> wait(std::span<epoll_event> out,
                                      std::chrono::milliseconds timeout);

 private:
  explicit Epoll(net::Fd fd) : fd_(std::move(fd)) {}
  net::Fd fd_;
};

}  // namespace sockspec::server
