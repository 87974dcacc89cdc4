// Breaks CON-1: a poll() loop that writes each echo with a blocking send(): a client that does
// not read its replies blocks every other client.
//
// The single-threaded select()/poll() echo server of countless tutorials: poll() says which
// clients are readable, the loop reads one chunk and writes it back with a send_all() on a
// blocking socket. Readiness was only asked for reading: once a client stops reading and its
// socket buffers fill, send() blocks, and with it the whole loop, until that client reads again.
// Clients that read their replies (and small replies, which the buffers absorb) never notice.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  std::vector<int> clients;
  for (;;) {
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    for (const int fd : clients) fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    for (std::size_t i = clients.size(); i-- > 0;) {
      if (fds[i + 1].revents == 0) continue;
      const int fd = clients[i];
      char buf[65536];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0 && send_all(fd, buf, static_cast<std::size_t>(n))) continue;  // the bug: blocks
      ::close(fd);
      clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (fds[0].revents != 0) clients.push_back(accept_client(listener));
  }
}
