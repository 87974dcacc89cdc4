// Breaks ACC-4: listen(fd, 5).
//
// A thread-per-client echo server with the backlog of the old tutorials, listen(sockfd, 5). In a
// burst, at most 6 connections wait for accept(); the kernel drops the SYNs (or final ACKs)
// beyond that, and those clients retransmit after 1 s.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args, /*backlog=*/5);  // the bug
  print_ready("tcp", listener);
  serve_threads(listener, echo_and_close);
}
