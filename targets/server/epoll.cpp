// epoll_create1/ctl/wait through the sys seam.
#include "targets/server/epoll.hpp"

#include <cerrno>

#include "targets/net/sys.hpp"

namespace sockspec::server {
namespace {

net::Status control(int epfd, int op, int fd, short events, const char* what) {
  epoll_event e{};
  e.events = static_cast<std::uint32_t>(static_cast<unsigned short>(events));
  e.data.fd = fd;
  if (net::sys::ops().epoll_ctl(epfd, op, fd, &e) != 0) return net::errno_error(errno, what);
  return {};
}

}  // namespace

net::Result<Epoll> Epoll::create() {
  const int fd = net::sys::ops().epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return net::errno_error(errno, "epoll_create1");
  return Epoll(net::Fd(fd));
}

net::Status Epoll::add(int fd, short events) {
  return control(fd_.get(), EPOLL_CTL_ADD, fd, events, "epoll_ctl ADD");
}

net::Status Epoll::modify(int fd, short events) {
  return control(fd_.get(), EPOLL_CTL_MOD, fd, events, "epoll_ctl MOD");
}

void Epoll::remove(int fd) {
  // Fails only if fd was never added; closing it would remove it anyway.
  (void)net::sys::ops().epoll_ctl(fd_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

net::Result<int> Epoll::wait(std::span<epoll_event> out, std::chrono::milliseconds timeout) {
  const int n = net::sys::ops().epoll_wait(fd_.get(), out.data(), static_cast<int>(out.size()),
                                           static_cast<int>(timeout.count()));
  if (n >= 0) return n;
  if (errno == EINTR) return 0;
  return net::errno_error(errno, "epoll_wait");
}

}  // namespace sockspec::server
