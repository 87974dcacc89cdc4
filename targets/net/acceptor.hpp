// Acceptor: a listening TCP socket whose accept() sorts the kernel's answers into
// "a connection", "nothing right now" and "a real error".
#pragma once

#include <optional>

#include "targets/net/endpoint.hpp"
#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"
#include "targets/net/socket.hpp"

namespace sockspec::net {

struct Accepted {
  Socket socket;
  Endpoint peer;  // what accept() returned: the client's address and port (ACC-5)
};

class Acceptor {
 public:
  // Takes a bound, listening socket. Reserves one spare descriptor for the EMFILE case.
  explicit Acceptor(Socket listener);

  [[nodiscard]] int fd() const { return listener_.fd(); }
  [[nodiscard]] const Socket& socket() const { return listener_; }

  // One accept4() (the accepted socket is close-on-exec; non-blocking when asked).
  // std::nullopt: nothing to accept now, or a connection that died in the backlog, or one
  // dropped because we are out of descriptors; the caller simply goes back to waiting.
  [[nodiscard]] Result<std::optional<Accepted>> accept(bool nonblocking);

 private:
  Socket listener_;
  Fd spare_;
};

}  // namespace sockspec::net
