// Breaks STR-2: echoes strlen(buf) bytes: the data is treated as a C string, so a NUL ends it.
//
// Tutorial servers do "buf[n] = '\0'; write(fd, buf, strlen(buf));" (or printf("%s") into the
// socket, or fgets/fputs on an fdopen()ed stream), reasoning in text where the stream carries
// bytes. Text without NUL comes back intact; from a NUL on, the rest of each read is dropped, and
// a read that starts with NUL echoes nothing at all.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "targets/broken/support/support.hpp"

namespace {

void echo(int fd) {
  char buf[16385];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    buf[n] = '\0';
    if (!sockspec::broken::send_all(fd, buf, std::strlen(buf))) return;  // the bug
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, [](int client) {
    echo(client);
    ::close(client);
  });
}
