// Breaks ACC-3: a first read that returns 0 (the client closed) or fails (a reset) ends the server.
//
// A thread-per-client echo server whose worker checks its first read the tutorial way:
// `if ((n = read(fd, buf, sizeof buf)) <= 0) error("ERROR reading from socket");`, where error()
// calls exit(). A client that connects and closes or resets without sending a byte (a port
// scanner, a load balancer's health check) takes the whole server down with it.
#include <errno.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, [](int client) {
    char buf[16384];
    ssize_t n = 0;
    do {
      n = ::recv(client, buf, sizeof buf, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {  // the bug: the client's EOF or reset is fatal to the process
      std::fprintf(stderr, "ERROR reading from socket (recv returned %zd)\n", n);
      std::exit(1);
    }
    if (send_all(client, buf, static_cast<std::size_t>(n))) echo_until_eof(client);
    ::close(client);
  });
}
