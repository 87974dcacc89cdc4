// Breaks STR-1: one recv() per connection: echoes what the first read returned, then closes.
//
// The classic tutorial echo server ("read(connfd, buf, 1024); write(connfd, buf, n); close"):
// it assumes one send() by the client arrives as one recv() at the server. TCP is a byte stream
// with no message boundaries: a request sent in pieces, or larger than the buffer, arrives in
// several reads. Shows as an echo cut short (the first segment or 1024 bytes), then EOF.
#include <sys/socket.h>
#include <unistd.h>

#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  serve_threads(listener, [](int client) {
    char buf[1024];
    const ssize_t n = ::recv(client, buf, sizeof buf, 0);  // the bug: one read is not a message
    if (n > 0) send_all(client, buf, static_cast<std::size_t>(n));
    ::close(client);
  });
}
