// Breaks ACC-5: the peer it hands to the session comes from getsockname(), not getpeername().
//
// A thread-per-client server of the reference services (the reference session logic, a blocking
// driver) that names each connection for its logs and for `line`'s WHOAMI with the wrong one of
// the two look-alike calls. getsockname() on the accepted socket is the server's own address and
// port, so every client is told "127.0.0.1:<the server's port>" instead of its own address.
#include <unistd.h>

#include <thread>

#include "targets/broken/accept/session_driver.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  const auto service = service_or_exit(args.service);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  for (;;) {
    const int client = accept_client(listener);
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getsockname(client, reinterpret_cast<sockaddr*>(&peer), &len) != 0)  // the bug
      die("getsockname");
    const std::string name = address_text(reinterpret_cast<sockaddr*>(&peer), len);
    std::thread([client, &service, name] {
      serve_session(client, *service, name);
      ::close(client);
    }).detach();
  }
}
