// Breaks ACC-6: it ends each connection with shutdown(SHUT_RDWR) and never close()s it: an fd leak.
//
// A thread-per-client echo server whose worker "closes" the connection with shutdown(), a
// mix-up of the two calls that is common in real code. shutdown() sends the FIN, so every client
// sees its EOF and nothing looks wrong (ACC-7 holds), but the descriptor stays open: one more per
// connection until accept() fails with EMFILE, hours or days later.
#include <sys/socket.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, [](int client) {
    echo_until_eof(client);
    ::shutdown(client, SHUT_RDWR);  // the bug: never close(client)
  });
}
