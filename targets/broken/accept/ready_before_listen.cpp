// Breaks ACC-1: it prints READY right after bind(), then does ~1 s of startup work before listen().
//
// A thread-per-client echo server whose startup announces itself as soon as the port is bound
// (the port is known then), and only then loads what it needs (here: 1 s, a config and cache
// warm-up) before it calls listen(). A bound socket that is not listening answers a SYN with a
// reset, so whoever trusts the message (a supervisor, a test, a load balancer) is refused.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = bound_socket(args, SOCK_STREAM, /*reuseaddr=*/true);
  print_ready("tcp", listener);                          // the bug: announced before listen()
  std::this_thread::sleep_for(std::chrono::seconds(1));  // startup work
  if (::listen(listener, SOMAXCONN) != 0) die("listen");
  serve_threads(listener, echo_and_close);
}
