// Breaks SVC-1: UDP echo sends back strlen(buffer) bytes, so a datagram is cut at its first NUL.
//
// The tutorial UDP server terminates what it received (`buffer[n] = '\0'`, to print it) and then
// replies with `sendto(..., buffer, strlen(buffer), ...)`, as the examples that send a string
// literal do. Text echoes fine; binary data comes back cut at its first NUL byte, or empty.
#include <sys/socket.h>

#include <cstring>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  print_ready("udp", fd);

  static char buffer[65536];
  for (;;) {
    sockaddr_storage client{};
    socklen_t len = sizeof client;
    const ssize_t n =
        ::recvfrom(fd, buffer, sizeof buffer - 1, 0, reinterpret_cast<sockaddr*>(&client), &len);
    if (n < 0) continue;
    buffer[n] = '\0';
    ::sendto(fd, buffer, std::strlen(buffer), 0,  // the bug: n, not strlen(), is the size
             reinterpret_cast<const sockaddr*>(&client), len);
  }
}
