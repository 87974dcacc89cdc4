// Breaks CLI-4: the TCP reply is read with a plain blocking recv(): no timeout while waiting.
//
// --timeout is honoured while connecting and sending, but the read loop is the blocking
// `while ((n = recv(...)) > 0)` with no poll() and no SO_RCVTIMEO, as in most example clients.
// Against a server that accepts and never answers (or never accepts: the connection waits in
// its backlog) the client blocks forever instead of exiting 4. EOF, resets, --lines and UDP
// are correct (client_support).
#include <sys/socket.h>
#include <unistd.h>

#include "targets/broken/client/client_support.hpp"

namespace {

using namespace sockspec::broken::client;

ssize_t receive_blocking(int fd, char* buf, std::size_t size, const ClientArgs&) {
  return ::recv(fd, buf, size, 0);  // the bug: blocks with no deadline
}

}  // namespace

int main(int argc, char** argv) {
  const ClientArgs args = parse_client_args(argc, argv);
  if (args.udp) {
    print_reply(exchange(args));
    return kExitOk;
  }
  const int fd = tcp_connect(args);
  tcp_send_request(fd, args);
  print_reply(tcp_read_reply(fd, args, receive_blocking));
  ::close(fd);
  return kExitOk;
}
