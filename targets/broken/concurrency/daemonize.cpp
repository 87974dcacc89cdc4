// Breaks CON-6: it daemonizes without being asked: a double-forked, setsid() worker serves the
// port and outlives the server's stop.
//
// The classic Unix daemon recipe (fork, setsid, fork again: no controlling terminal, not a
// session leader) pasted into a server that is also run in the foreground. The foreground process
// binds, prints READY, hands the listener to the daemonized worker and waits for a signal; on
// SIGTERM or SIGINT it exits 0 and forgets the worker. The worker left the process group and the
// session, so a signal to the group misses it, and it keeps serving the port after the stop.
// Every exchange passes; what is left running after the stop is the finding ("after its stop,
// pid 1234 (broken-daemoniz) was still running and held 127.0.0.1:40123 listening (tcp)").
// The worker ends itself after 120 s (alarm): a bound for machines where nothing contains it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  sigset_t stop;
  ::sigemptyset(&stop);
  ::sigaddset(&stop, SIGTERM);
  ::sigaddset(&stop, SIGINT);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);  // before the fork: no signal is lost
  const pid_t child = ::fork();
  if (child < 0) die("fork");
  if (child == 0) {
    ::setsid();                   // the bug: a session and process group of its own...
    if (::fork() != 0) _exit(0);  // ...and, forked again, a parent that is gone
    ::sigprocmask(SIG_UNBLOCK, &stop, nullptr);
    ::alarm(120);
    serve_threads(listener, echo_and_close);
  }
  ::close(listener);
  ::waitpid(child, nullptr, 0);
  int sig = 0;
  ::sigwait(&stop, &sig);
  return 0;  // the worker is not told
}
