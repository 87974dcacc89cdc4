// Breaks CLI-6: binds a fixed local port (24680) before connecting (TCP) or sending (UDP).
//
// Code copied from a server, or written "so that the firewall / the server knows our port":
// bind() to the wildcard with a constant port, then connect() or sendto(). Two clients at once
// collide (EADDRINUSE), and over TCP even one client run right after another fails, because the
// first connection's local port is still in TIME_WAIT (the client closes first). IPV6_V6ONLY is
// set, as in the server code it came from. Everything after the bind is correct (client_support).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "targets/broken/client/client_support.hpp"

namespace {
constexpr std::uint16_t kClientPort = 24680;
}

int main(int argc, char** argv) {
  using namespace sockspec::broken::client;
  const ClientArgs args = parse_client_args(argc, argv);
  const int fd = args.udp ? udp_socket(args) : tcp_socket(args);
  sockaddr_storage local{};
  socklen_t local_len = sizeof(sockaddr_in);
  if (args.server.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&local);
    v6->sin6_family = AF_INET6;
    v6->sin6_addr = in6addr_any;
    v6->sin6_port = htons(kClientPort);
    local_len = sizeof(sockaddr_in6);
    const int on = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&local);
    v4->sin_family = AF_INET;
    v4->sin_addr.s_addr = htonl(INADDR_ANY);
    v4->sin_port = htons(kClientPort);
  }
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), local_len) != 0) {  // the bug
    fail_errno(kExitError, "bind local port " + std::to_string(kClientPort));
  }
  std::string reply;
  if (!args.udp) {
    tcp_connect(args, fd);
    tcp_send_request(fd, args);
    reply = tcp_read_reply(fd, args);
  } else {
    bool first = true;
    for (const std::string& request : udp_requests(args)) {
      if (!first) udp_drop_waiting(fd);
      first = false;
      reply += udp_ask(fd, args, request);
    }
  }
  print_reply(reply);
  ::close(fd);
  return kExitOk;
}
