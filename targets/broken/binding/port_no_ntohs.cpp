// Breaks EPH-1: the port it reports is sin_port as stored, in network byte order (no ntohs()).
//
// A thread-per-client echo server, correct but for its startup message: it prints the port it
// got from getsockname() without ntohs(), as hand-written "listening on %s:%d" logging often
// does. On a little-endian machine the kernel's port 41234 (0xa112) is reported as 4769
// (0x12a1): a port the process does not hold (only a port whose two bytes are equal, such as
// 0x8080, would come out right: about one in a thousand). Clients told that port are refused.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);

  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) die("getsockname");
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    port = v6->sin6_port;  // the bug: no ntohs()
    std::printf("READY tcp [%s]:%d\n", host, port);
  } else {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = v4->sin_port;  // the bug: no ntohs()
    std::printf("READY tcp %s:%d\n", host, port);
  }
  std::fflush(stdout);

  serve_threads(listener, echo_and_close);
}
