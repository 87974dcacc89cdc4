// Breaks CLI-5: UDP takes the first datagram from anyone as the reply (recvfrom(..., NULL, NULL)).
//
// The tutorial UDP client: sendto() the server, then recvfrom() with no address, or with one
// that is never compared with the server's. Any datagram that reaches the client's port first
// (another port of the server's host, another address, a spoofed or stale packet) is printed as
// the reply, with exit 0. Retries, the timeout, ICMP refused and TCP are correct (client_support).
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "targets/broken/client/client_support.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken::client;
  const ClientArgs args = parse_client_args(argc, argv);
  if (!args.udp) {
    print_reply(exchange(args));
    return kExitOk;
  }
  const int fd = udp_socket(args);
  const std::vector<std::string> requests = udp_requests(args);
  std::string reply;
  char buf[65536];
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (i > 0) udp_drop_waiting(fd);
    bool answered = false;
    for (unsigned attempt = 0; attempt <= args.retries && !answered; ++attempt) {
      if (attempt > 0 && Clock::now() >= args.deadline) break;
      udp_send(fd, args, requests[i]);
      const Clock::time_point until = attempt_until(args, attempt);
      while (!answered && wait_for(fd, POLLIN, until)) {
        const ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, nullptr, nullptr);  // the bug
        if (n < 0) {
          if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED) {
            fail_errno(kExitError, "recvfrom");
          }
          udp_check_errors(fd, args);  // an ICMP error from the server: exit 3
          continue;
        }
        reply.append(buf, static_cast<std::size_t>(n));
        answered = true;
      }
    }
    if (!answered) fail(kExitTimeout, "timed out: no reply from " + args.server_text);
  }
  print_reply(reply);
  ::close(fd);
  return kExitOk;
}
