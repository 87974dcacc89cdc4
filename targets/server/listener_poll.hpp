// ListenerPoll: the wait at the top of the blocking models' main loop, over the stop pipe, an
// optional wake-up descriptor (a worker or child finished) and every listener.
#pragma once

#include <poll.h>

#include <optional>
#include <vector>

#include "targets/net/result.hpp"
#include "targets/server/model.hpp"

namespace sockspec::server {

struct ReadySet {
  bool stop = false;  // SIGTERM/SIGINT: the model stops; nothing else is reported
  bool wake = false;  // the wake-up descriptor is readable
  std::vector<net::Acceptor*> tcp;
  std::vector<const net::Socket*> udp;
};

class ListenerPoll {
 public:
  // `wake_fd` < 0: none.
  explicit ListenerPoll(ServerContext& ctx, int wake_fd = -1);

  // Blocks until something is ready. With `accepting` false the listeners are left out, so
  // new clients wait in the backlog (or the socket buffer) until there is room again.
  [[nodiscard]] net::Result<ReadySet> wait(bool accepting);

 private:
  ServerContext& ctx_;
  int wake_fd_;
  std::vector<pollfd> fds_;
};

// Receives up to a batch of waiting datagrams from `socket` and hands each to `handle`;
// a receive error is logged and ends the batch. Bounded so one busy socket cannot starve
// the others.
template <class Handle>
void for_each_datagram(const net::Socket& socket, Handle&& handle, std::size_t batch = 64);

}  // namespace sockspec::server

#include "targets/server/listener_poll_inl.hpp"
