// Breaks DGR-3: recvfrom() into a 1024-byte buffer, so longer datagrams come back truncated.
//
// The UDP echo server of countless tutorials: `char buffer[MAXLINE]` with MAXLINE 1024, and no
// MSG_TRUNC check. A datagram longer than the buffer is cut silently (the kernel discards the
// rest), so a 1025- to 1472-byte request gets only its first 1024 bytes back.
#include <sys/socket.h>

#include "targets/broken/support/support.hpp"

#define MAXLINE 1024  // the bug: a datagram may hold up to 65507 bytes

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  print_ready("udp", fd);

  char buffer[MAXLINE];
  for (;;) {
    sockaddr_storage client{};
    socklen_t len = sizeof client;
    const ssize_t n =
        ::recvfrom(fd, buffer, MAXLINE, 0, reinterpret_cast<sockaddr*>(&client), &len);
    if (n < 0) continue;
    ::sendto(fd, buffer, static_cast<size_t>(n), 0, reinterpret_cast<const sockaddr*>(&client),
             len);
  }
}
