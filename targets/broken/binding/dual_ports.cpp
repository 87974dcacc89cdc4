// Breaks EPH-6: asked for TCP and UDP on port 0, it binds each to port 0: two unrelated ports.
//
// A TCP and UDP echo server that opens its sockets one after the other, each from the command
// line's port, as servers that grew a UDP side later do. With an explicit port both sockets
// share it; with port 0 the kernel picks one port for TCP and another for UDP, so a client that
// sends its datagram to the TCP port it was told gets an ICMP port unreachable.
#include <errno.h>
#include <unistd.h>

#include <thread>

#include "targets/broken/support/support.hpp"

namespace {
using namespace sockspec::broken;

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  int listener = -1;
  if (args.tcp) {
    listener = tcp_listener(args);
    print_ready("tcp", listener);
  }
  if (args.udp) {
    // A correct server binds UDP to the port TCP got; this one asks for args.port again.
    const int udp = bound_socket(args, SOCK_DGRAM, false);  // the bug
    print_ready("udp", udp);
    if (!args.tcp) udp_echo(udp);
    std::thread(udp_echo, udp).detach();
  }
  serve_threads(listener, echo_and_close);
}
