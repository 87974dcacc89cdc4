// Breaks EPH-2: asked for port 0, it picks a "random" free port itself with an unseeded rand().
//
// A thread-per-client echo server that, instead of binding port 0 and letting the kernel choose,
// draws a port from the ephemeral range (/proc/sys/net/ipv4/ip_local_port_range) with rand(), as
// code that wants to "know its port before bind()" does. rand() is never seeded, so every process
// draws the same sequence: two instances started at once both pick the same port, and the second
// dies with "Address already in use". Alone, it looks right: the port is held and in range.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  Args args = parse_args(argc, argv);
  ignore_sigpipe();
  if (args.port == 0) {
    int low = 32768;
    int high = 60999;
    if (FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
      if (std::fscanf(f, "%d %d", &low, &high) != 2) die("ip_local_port_range");
      std::fclose(f);
    }
    args.port = static_cast<std::uint16_t>(low + std::rand() % (high - low + 1));  // the bug
  }
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, echo_and_close);
}
