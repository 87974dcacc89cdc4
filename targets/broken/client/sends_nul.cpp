// Breaks CLI-1: the TCP request is sent with its C string terminator (size + 1 bytes).
//
// `send(fd, msg, strlen(msg) + 1, 0)`, or sizeof of a char array: the length counts the NUL, as
// when the author's own server read "one string" up to a '\0'. Every server then gets one byte
// the user never gave, after the message: an echo server sends it back, a line server sees it
// as the start of the next request. The reply is read and printed correctly, and UDP is the
// correct exchange (client_support).
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "targets/broken/client/client_support.hpp"
#include "targets/broken/support/support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken::client;
  const ClientArgs args = parse_client_args(argc, argv);
  if (args.udp) {
    print_reply(exchange(args));
    return kExitOk;
  }
  const int fd = tcp_connect(args);
  std::string request = args.message;
  if (args.lines && request.back() != '\n') request += '\n';
  if (!sockspec::broken::send_all(fd, request.c_str(), request.size() + 1)) {  // the bug
    fail_errno(errno == EPIPE || errno == ECONNRESET ? kExitPeerClosed : kExitError, "send");
  }
  if (!args.lines) ::shutdown(fd, SHUT_WR);
  print_reply(tcp_read_reply(fd, args));
  ::close(fd);
  return kExitOk;
}
