// Breaks CLI-3: the read loop ends on recv() <= 0, so a reset or an early EOF exits 0.
//
// `while ((n = recv(fd, buf, sizeof buf, 0)) > 0) ...; return 0;` is the read loop of most
// example clients: an error (ECONNRESET) and an EOF that comes before the exchange completed
// (--lines: fewer reply lines than requests) end it exactly like the server's normal close. The
// caller sees exit 0 and a truncated reply, never the 5 of the contract, and nothing on stderr.
// Connect errors, timeouts and UDP are correct (client_support).
#include <poll.h>
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
    if (!wait_for(fd, POLLIN, args.deadline)) {
      fail(kExitTimeout, "timed out waiting for the reply from " + args.server_text);
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;  // the bug: a reset or an early EOF ends it like the normal EOF
    reply.append(buf, static_cast<std::size_t>(n));
  }
  print_reply(reply);
  ::close(fd);
  return kExitOk;
}
