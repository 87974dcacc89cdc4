// Breaks STR-5: keeps the default SIGPIPE disposition, so writing to a reset peer kills it.
//
// The textbook echo loop, "while ((n = read(fd, buf, sizeof buf)) > 0) write(fd, buf, n);", in
// a thread per client. Nothing ignores SIGPIPE and write() is not send(..., MSG_NOSIGNAL). When a
// client resets while its echo is being written, the first write fails with ECONNRESET; the loop
// reads on (the client's data is still queued) and the next write to the dead connection raises
// SIGPIPE, whose default action ends the whole server, every other client with it.
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  // the bug: no ignore_sigpipe() (signal(SIGPIPE, SIG_IGN)) and no MSG_NOSIGNAL below
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, [](int client) {
    char buf[16384];
    ssize_t n;
    while ((n = ::read(client, buf, sizeof buf)) > 0) {
      ssize_t done = 0;
      while (done < n) {  // blocking: finishes short writes, stops at an error
        const ssize_t w = ::write(client, buf + done, static_cast<std::size_t>(n - done));
        if (w <= 0) break;
        done += w;
      }
    }
    ::close(client);
  });
}
