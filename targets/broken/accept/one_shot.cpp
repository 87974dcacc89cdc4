// Breaks ACC-2: it closes the listening socket once it has accepted its first client (one-shot).
//
// The shape of the classic tutorial server (socket, bind, listen, one accept, a chat loop): once
// the first client is accepted it closes the listening socket, "no longer needed", serves that
// client, then idles until it is stopped. The first client is served; every later connect is
// refused, though the process is still running.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  const int client = accept_client(listener);
  ::close(listener);  // the bug: no more clients after this one
  echo_until_eof(client);
  ::close(client);
  for (;;) ::pause();
}
