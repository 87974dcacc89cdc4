// Breaks CLI-4: --timeout is set as SO_RCVTIMEO, so it bounds each recv(), not the whole run.
//
// The usual way to "add a timeout" to a blocking client: setsockopt(SO_RCVTIMEO, timeout), then
// the plain recv() loop. A silent server is handled (recv fails with EAGAIN after the timeout,
// exit 4), but every byte that arrives restarts the clock: a server that sends part of its reply
// and then stalls keeps the client waiting up to twice the timeout, and one that trickles a
// byte at a time keeps it forever. Connecting, sending, EOF, resets, --lines and UDP are
// correct (client_support).
#include <errno.h>
#include <sys/socket.h>
#include <sys/time.h>
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
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(args.timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(args.timeout.count() % 1000 * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);  // the bug: per recv, not per run
  const std::size_t lines = expected_reply_lines(args);
  std::string reply;
  char buf[4096];
  for (;;) {
    if (const std::size_t end = through_line(reply, lines); lines > 0 && end != std::string::npos) {
      reply.resize(end);
      break;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0) {
      if (lines > 0) fail(kExitPeerClosed, "the server closed before the last reply line");
      break;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        fail(kExitTimeout, "timed out waiting for the reply from " + args.server_text);
      }
      fail_errno(errno == ECONNRESET ? kExitPeerClosed : kExitError, "recv");
    }
    reply.append(buf, static_cast<std::size_t>(n));
  }
  print_reply(reply);
  ::close(fd);
  return kExitOk;
}
