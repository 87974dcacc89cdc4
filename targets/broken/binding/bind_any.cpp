// Breaks EPH-5: it binds the wildcard address (INADDR_ANY / in6addr_any) whatever --bind says.
//
// A TCP and UDP echo server that takes --bind only for the address family and its startup
// message, and binds the wildcard, as most tutorial servers do (servaddr.sin_addr.s_addr =
// INADDR_ANY) once an option was added in front of them. It prints the address it was asked
// for, so it looks right; but bound to 127.0.0.1 it also answers on 127.0.0.2 (and on every
// other address of the host: a service meant for loopback is exposed to the network).
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

#include "targets/broken/support/support.hpp"

namespace {
using namespace sockspec::broken;

int bind_any(const Args& args, int type) {
  sockaddr_storage addr{};
  const socklen_t len = address_of(args, addr);  // the family and port asked for
  const std::string asked = address_text(reinterpret_cast<const sockaddr*>(&addr), len);
  if (addr.ss_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr = in6addr_any;  // the bug
  } else {
    reinterpret_cast<sockaddr_in*>(&addr)->sin_addr.s_addr = htonl(INADDR_ANY);  // the bug
  }
  const int fd = ::socket(addr.ss_family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  const int on = 1;
  if (addr.ss_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  if (type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0) die("bind " + asked);
  return fd;
}

// "READY udp 127.0.0.1:41234": the address asked for, the port bound.
void ready(const char* transport, const Args& args, int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) die("getsockname");
  const bool v6 = addr.ss_family == AF_INET6;
  const in_port_t port = v6 ? reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port
                            : reinterpret_cast<const sockaddr_in*>(&addr)->sin_port;
  std::printf(v6 ? "READY %s [%s]:%u\n" : "READY %s %s:%u\n", transport, args.host.c_str(),
              static_cast<unsigned>(ntohs(port)));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  int listener = -1;
  if (args.tcp) {
    listener = bind_any(args, SOCK_STREAM);
    if (::listen(listener, SOMAXCONN) != 0) die("listen");
    ready("tcp", args, listener);
  }
  if (args.udp) {
    const int udp = bind_any(args, SOCK_DGRAM);
    ready("udp", args, udp);
    if (!args.tcp) udp_echo(udp);
    std::thread(udp_echo, udp).detach();
  }
  serve_threads(listener, echo_and_close);
}
