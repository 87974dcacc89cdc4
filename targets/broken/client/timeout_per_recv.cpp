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

namespace {

using namespace sockspec::broken::client;

// SO_RCVTIMEO makes a silent wait fail with EAGAIN: that is taken as the timeout.
ssize_t receive_with_rcvtimeo(int fd, char* buf, std::size_t size, const ClientArgs& args) {
  const ssize_t n = ::recv(fd, buf, size, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    fail(kExitTimeout, "timed out waiting for the reply from " + args.server_text);
  }
  return n;
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
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(args.timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(args.timeout.count() % 1000 * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);  // the bug: per recv, not per run
  print_reply(tcp_read_reply(fd, args, receive_with_rcvtimeo));
  ::close(fd);
  return kExitOk;
}
