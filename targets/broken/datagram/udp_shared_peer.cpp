// Breaks DGR-4: worker threads reply to a shared "current client" variable, not their own peer.
//
// A UDP echo server made concurrent the quick way: the receive loop hands each datagram's bytes
// to a new thread, but the client address stays where the single-threaded version kept it, in
// one global that the next recvfrom() overwrites. Each request takes a few milliseconds of work
// (a lookup, here a 10 ms sleep), so with several clients at once nearly every reply goes to
// whoever wrote last: clients get each other's answers and miss their own. One client at a time
// is served correctly, which is why such code survives its first tests.
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>

#include "targets/broken/support/support.hpp"

namespace {

sockaddr_storage client;  // the client being served: fine while there was one thread
socklen_t client_len;

void handle(int fd, std::string request) {
  std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the request's work
  // the bug: by now `client` is whoever sent the latest datagram
  ::sendto(fd, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&client),
           client_len);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  print_ready("udp", fd);

  static char buf[65536];
  for (;;) {
    client_len = sizeof client;
    const ssize_t n =
        ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&client), &client_len);
    if (n < 0) continue;
    std::thread(handle, fd, std::string(buf, static_cast<size_t>(n))).detach();
  }
}
