// Breaks CLI-4: the TCP reply is read with a plain blocking recv(): no timeout while waiting.
//
// --timeout is honoured while connecting and sending, but the read loop is the blocking
// `while ((n = recv(...)) > 0)` with no poll() and no SO_RCVTIMEO, as in most example clients.
// Against a server that accepts and never answers (or never accepts: the connection waits in
// its backlog) the client blocks forever instead of exiting 4. EOF, resets, --lines and UDP
// are correct (client_support).
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "targets/broken/client/client_support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken::client;
  const ClientArgs args = parse_client_args(argc, argv);
  if (args.udp) {
    print_reply(exchange(args));
    return kExitOk;
  }
  const int fd = tcp_connect(args);
  tcp_send_request(fd, args);
  const std::size_t lines = expected_reply_lines(args);
  std::string reply;
  char buf[4096];
  for (;;) {
    if (const std::size_t end = through_line(reply, lines); lines > 0 && end != std::string::npos) {
      reply.resize(end);
      break;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // the bug: blocks with no deadline
    if (n == 0) {
      if (lines > 0) fail(kExitPeerClosed, "the server closed before the last reply line");
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno(errno == ECONNRESET ? kExitPeerClosed : kExitError, "recv");
    }
    reply.append(buf, static_cast<std::size_t>(n));
  }
  print_reply(reply);
  ::close(fd);
  return kExitOk;
}
