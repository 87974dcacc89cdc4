// Template definition of for_each_datagram (included from listener_poll.hpp).
#pragma once

#include "targets/net/datagram.hpp"
#include "targets/server/log.hpp"

namespace sockspec::server {

template <class Handle>
void for_each_datagram(const net::Socket& socket, Handle&& handle, std::size_t batch) {
  for (std::size_t i = 0; i < batch; ++i) {
    auto datagram = net::receive_datagram(socket);
    if (!datagram) {
      log_line("{}", datagram.error().message);
      return;
    }
    if (!*datagram) return;  // nothing more waiting
    handle(std::move(**datagram));
  }
}

}  // namespace sockspec::server
