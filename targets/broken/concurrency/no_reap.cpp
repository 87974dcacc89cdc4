// Breaks CON-3: forks a child per client and never reaps it: every finished client leaves a zombie.
//
// The classic fork-per-connection server (UNP 5.2's first version) without the SIGCHLD handler
// and waitpid() loop of its fixed version. Each child exits when its client leaves, but its
// parent never collects its status: the child stays a zombie (<defunct> in ps) until the server
// exits, one process-table slot per connection served, until fork() fails with EAGAIN.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  // the bug: no signal(SIGCHLD, SIG_IGN), no SIGCHLD handler calling waitpid(-1, ..., WNOHANG)
  for (;;) {
    const int client = accept_client(listener);
    const pid_t pid = ::fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      ::close(listener);
      echo_until_eof(client);
      ::close(client);
      ::_exit(0);
    }
    ::close(client);
  }
}
