// Breaks EPH-3: the listening socket is bound without SO_REUSEADDR.
//
// A thread-per-client echo server, correct but for one line: it never sets SO_REUSEADDR. While
// connections of a stopped instance linger on the port (TIME_WAIT, FIN_WAIT), bind() fails with
// EADDRINUSE, so a restart on the same port fails for up to a minute.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args, SOMAXCONN, /*reuseaddr=*/false);  // the bug
  print_ready("tcp", listener);
  serve_threads(listener, echo_and_close);
}
