// Breaks ACC-7: a fork-per-client server whose parent never closes its copy of the accepted socket.
//
// The classic fork server (the reference session logic in the child) without the parent's
// close(connfd) after fork(). The child serves and closes its descriptor, but the connection
// stays open through the parent's copy: a client never sees EOF when the server ends the
// exchange (daytime, QUIT, an overlong line), and the parent leaks a descriptor per connection,
// so ACC-6 fails too (that is inherent to this bug).
#include <signal.h>
#include <unistd.h>

#include "targets/broken/accept/session_driver.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const auto service = service_or_exit(args.service);
  ignore_sigpipe();
  ::signal(SIGCHLD, SIG_IGN);  // children are reaped by the kernel
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  for (;;) {
    const int client = accept_client(listener);
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(client, reinterpret_cast<sockaddr*>(&peer), &len) != 0) {
      ::close(client);
      continue;
    }
    const pid_t pid = ::fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      ::close(listener);
      serve_session(client, *service, address_text(reinterpret_cast<sockaddr*>(&peer), len));
      ::close(client);
      ::_exit(0);
    }
    // the bug: the parent keeps its copy of `client` (no close(client) here)
  }
}
