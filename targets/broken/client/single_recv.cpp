// Breaks CLI-2: takes one recv(fd, buf, 1024) as the whole TCP reply.
//
// The classic "send, recv once, print" client: it assumes the reply arrives in one segment and
// fits in 1024 bytes. A reply that comes in pieces, or late after a first piece, or is longer
// than the buffer, is printed cut short, with exit 0. It does wait for the first byte within
// --timeout; UDP, where one recvfrom is one datagram, is the correct exchange (client_support).
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "targets/broken/client/client_support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken::client;
  const ClientArgs args = parse_client_args(argc, argv);
  if (args.udp) {
    print_reply(exchange(args));
    return kExitOk;
  }
  const int fd = tcp_connect(args);
  tcp_send_request(fd, args);
  if (!wait_for(fd, POLLIN, args.deadline)) {
    fail(kExitTimeout, "timed out waiting for the reply from " + args.server_text);
  }
  char buf[1024];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // the bug: one recv() is not the reply
  if (n < 0) fail_errno(errno == ECONNRESET ? kExitPeerClosed : kExitError, "recv");
  if (n == 0 && args.lines) fail(kExitPeerClosed, "the server closed before replying");
  print_reply(std::string(buf, static_cast<std::size_t>(n)));
  ::close(fd);
  return kExitOk;
}
