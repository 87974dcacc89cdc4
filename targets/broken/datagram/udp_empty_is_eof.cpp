// Breaks DGR-6: an empty datagram is taken for "the peer closed" and ends the server.
//
// A UDP server whose receive loop was copied from TCP code: `while ((n = recvfrom(...)) > 0)`.
// Over TCP, 0 means EOF; over UDP it is a valid 0-byte datagram, which anyone can send. The
// first empty datagram ends the loop and the server exits, so every client loses it (a one-packet
// denial of service). The services' answers are the reference code (targets/proto); only the
// loop differs.
#include <errno.h>
#include <sys/socket.h>

#include <cstddef>
#include <span>

#include "targets/broken/support/support.hpp"
#include "targets/proto/service.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const auto service = sockspec::proto::make_service(args.service);
  if (!service) {
    errno = EINVAL;
    die("service " + args.service);
  }
  const int fd = bound_socket(args, SOCK_DGRAM, /*reuseaddr=*/false);
  print_ready("udp", fd);

  static char buf[65536];
  sockaddr_storage client{};
  socklen_t len = sizeof client;
  ssize_t n;
  while ((n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&client), &len)) >
         0) {  // the bug: a 0-byte datagram is not the end of anything
    sockspec::proto::Context ctx;
    ctx.peer = address_text(reinterpret_cast<const sockaddr*>(&client), len);
    const auto request = std::as_bytes(std::span<const char>(buf, static_cast<size_t>(n)));
    if (const auto reply = service->datagrams().answer(request, ctx)) {
      ::sendto(fd, reply->data(), reply->size(), 0, reinterpret_cast<const sockaddr*>(&client),
               len);
    }
    len = sizeof client;
  }
  return 0;
}
