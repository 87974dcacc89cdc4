// Fd's close: the one place a descriptor is closed.
#include "targets/net/fd.hpp"

#include "targets/net/sys.hpp"

namespace sockspec::net {

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) {
    // Never retry close() on EINTR: on Linux the descriptor is already gone, and a retry
    // could close one another thread just opened (man 2 close, "Dealing with error returns").
    (void)sys::ops().close(fd_);
  }
  fd_ = fd;
}

}  // namespace sockspec::net
