// Breaks ACC-4: listen(fd, 5).
//
// A thread-per-client echo server with the backlog of the old tutorials, listen(sockfd, 5). In a
// burst, at most 6 connections wait for accept(); the kernel drops the SYNs (or final ACKs)
// beyond that, and those clients retransmit after 1 s.
//
// Like those tutorials it logs each client before it accepts the next, here a 2 ms pause (a
// reverse lookup of the peer's name costs as much). Without it the bug would show only when the
// accept thread happens to be slower than the burst; with it, 64 clients at once always overflow
// a queue of 6. With a listen backlog of SOMAXCONN the same loop serves the burst within 150 ms.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args, /*backlog=*/5);  // the bug
  print_ready("tcp", listener);
  for (;;) {
    const int client = accept_client(listener);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // "client connected: <name>"
    std::thread(echo_and_close, client).detach();
  }
}
