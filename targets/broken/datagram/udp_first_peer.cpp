// Breaks DGR-1: replies go to the first client that ever wrote, whoever asks later.
//
// A UDP echo server written as a "session": it learns its client with one recvfrom(), then loops
// on recv() and sendto() that remembered address, the way code adapted from a one-client example
// (or a UDP client) does. With one client it works; a second client's datagrams are answered to
// the first one, and the second waits for a reply that never comes.
#include <sys/socket.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  print_ready("udp", fd);

  static char buf[65536];
  sockaddr_storage client{};
  socklen_t client_len = sizeof client;
  // Learn who we are talking to.
  ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&client), &client_len);
  for (;;) {
    if (n >= 0) {
      ::sendto(fd, buf, static_cast<size_t>(n), 0, reinterpret_cast<const sockaddr*>(&client),
               client_len);
    }
    n = ::recv(fd, buf, sizeof buf, 0);  // the bug: the sender of this datagram is never read
  }
}
