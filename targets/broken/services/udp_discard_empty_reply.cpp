// Breaks SVC-2: UDP discard answers every datagram with an empty datagram.
//
// A small-services UDP server (echo, discard) with one reply path: each service returns its
// reply as a string and the loop sends it. Discard returns "" ("nothing to say"), which is right
// over TCP, where send() of 0 bytes sends nothing, but over UDP sendto() of 0 bytes still sends a
// datagram: every discarded request is answered with an empty one.
#include <errno.h>
#include <sys/socket.h>

#include <string>

#include "targets/broken/support/support.hpp"

namespace {

std::string reply_for(const std::string& service, const char* request, size_t size) {
  if (service == "echo") return std::string(request, size);
  return {};  // discard: nothing to say
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  if (args.service != "echo" && args.service != "discard") {
    errno = EINVAL;
    die("service " + args.service);
  }
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  print_ready("udp", fd);

  static char buf[65536];
  for (;;) {
    sockaddr_storage client{};
    socklen_t len = sizeof client;
    const ssize_t n =
        ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&client), &len);
    if (n < 0) continue;
    const std::string reply = reply_for(args.service, buf, static_cast<size_t>(n));
    // the bug: over UDP a 0-byte reply is still a datagram
    ::sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<const sockaddr*>(&client), len);
  }
}
