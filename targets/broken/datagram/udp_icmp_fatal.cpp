// Breaks DGR-6: an ICMP port unreachable, reported by recvfrom() as ECONNREFUSED, ends the server.
//
// The server asks for ICMP errors (IP_RECVERR / IPV6_RECVERR, to log clients that went away, as
// DNS and QUIC servers do) and keeps the tutorial's `if (n < 0) { perror(...); exit(1); }` after
// recvfrom(). A reply to a client whose socket has closed comes back as port unreachable; the
// kernel then fails the next recvfrom() with ECONNREFUSED and the server exits. (On Windows every
// UDP socket does this by default: WSAECONNRESET, unless SIO_UDP_CONNRESET is turned off.)
#include <netinet/in.h>
#include <sys/socket.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  const int on = 1;
  sockaddr_storage self{};
  (void)address_of(args, self);
  if (self.ss_family == AF_INET6) {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
  } else {
    ::setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
  }
  print_ready("udp", fd);

  static char buf[65536];
  for (;;) {
    sockaddr_storage client{};
    socklen_t len = sizeof client;
    const ssize_t n =
        ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&client), &len);
    if (n < 0) die("recvfrom");  // the bug: ECONNREFUSED is about an old reply, not this socket
    ::sendto(fd, buf, static_cast<size_t>(n), 0, reinterpret_cast<const sockaddr*>(&client), len);
  }
}
