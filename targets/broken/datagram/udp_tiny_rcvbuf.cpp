// Breaks DGR-5: SO_RCVBUF shrunk to one datagram's worth, so a burst overflows and is dropped.
//
// A UDP server "sized for its messages": it sets SO_RCVBUF to 1500 bytes (one MTU, since it
// handles one datagram at a time), as memory-conscious embedded code does. The kernel then
// queues only three or four datagrams; each request takes a moment to handle (a log write, here
// 2 ms), so a client's burst of 64 overflows the queue and most of it is silently dropped. With
// the default buffer the same server answers all 64, a little later.
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  const int size = 1500;
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) != 0) {  // the bug
    die("setsockopt SO_RCVBUF");
  }
  print_ready("udp", fd);

  static char buf[65536];
  for (;;) {
    sockaddr_storage client{};
    socklen_t len = sizeof client;
    const ssize_t n =
        ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&client), &len);
    if (n < 0) continue;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the request's work
    ::sendto(fd, buf, static_cast<size_t>(n), 0, reinterpret_cast<const sockaddr*>(&client), len);
  }
}
