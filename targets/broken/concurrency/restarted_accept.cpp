// Breaks CON-6: the SIGTERM handler relies on accept() failing with EINTR, but SA_RESTART
// restarts it: the server never stops.
//
// The "graceful shutdown" of many servers: a handler sets `stop`, and the accept loop leaves when
// accept() fails with EINTR and `stop` is set. But the handler is installed with SA_RESTART (what
// signal() does on Linux, and what many sigaction() examples copy): the kernel resumes the
// blocked accept() after the handler returns, EINTR never comes, and the loop never looks at the
// flag. SIGTERM and SIGINT are swallowed; the server has to be killed.
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "targets/broken/support/support.hpp"

namespace {

volatile sig_atomic_t stop = 0;

void on_stop(int) {
  stop = 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sa.sa_flags = SA_RESTART;  // the bug: accept() resumes instead of failing with EINTR
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  for (;;) {
    const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR && stop) break;  // SIGTERM or SIGINT interrupted accept(): time to go
      if (errno == EINTR || errno == ECONNABORTED) continue;
      die("accept");
    }
    std::thread([client] {
      echo_until_eof(client);
      ::close(client);
    }).detach();
  }
  return 0;  // open connections are closed as the process exits
}
