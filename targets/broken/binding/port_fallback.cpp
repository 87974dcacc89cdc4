// Breaks EPH-4: when the port it was given is taken, it silently binds the next free one.
//
// "Port 8080 in use, trying 8081..." is what development servers do; in a service it means a
// second instance, or a port clash with another program, goes unnoticed: clients configured for
// the asked port reach the other program, and this one serves where nobody looks. EPH-4 wants a
// non-zero exit naming the address. Shows as: started on a held port, it becomes ready on
// another one.
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  Args args = parse_args(argc, argv);
  ignore_sigpipe();
  sockaddr_storage addr{};
  const socklen_t len = address_of(args, addr);
  const int listener = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) die("socket");
  const int on = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (addr.ss_family == AF_INET6) ::setsockopt(listener, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  for (int attempt = 0;; ++attempt) {
    if (::bind(listener, reinterpret_cast<const sockaddr*>(&addr), len) == 0) break;
    if (errno != EADDRINUSE || args.port == 0 || attempt == 100) die("bind");
    ++args.port;  // the bug: "taken? take the next one"
    (void)address_of(args, addr);
  }
  if (::listen(listener, SOMAXCONN) != 0) die("listen");
  print_ready("tcp", listener);
  serve_threads(listener, echo_and_close);
}
