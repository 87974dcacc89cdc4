// A server that misbehaves on purpose, for the CLI tests: it crashes on the first connection,
// hangs (never answers, ignores SIGTERM), never becomes ready, floods stdout and stderr while
// echoing, or daemonizes (a double-forked, setsid() worker echoes, or with daemon-hang never
// answers; it writes its pid to DIR/daemon.pid). Every mode ends by itself after 60 s (alarm), so
// it can never linger.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "targets/net/endpoint.hpp"
#include "targets/net/io.hpp"
#include "targets/net/ready.hpp"
#include "targets/net/socket.hpp"
#include "targets/net/sys.hpp"

namespace {

using namespace sockspec;

net::Socket listen_or_die(std::string_view host) {
  auto where = net::Endpoint::from_host(host, 0);
  auto s = net::Socket::tcp(where->family());
  if (!s || !s->bind(*where) || !s->listen(64)) std::exit(3);
  (void)net::announce_ready({{"tcp", *s->local_endpoint()}});
  return std::move(s).value();
}

int accept_one(const net::Socket& listener) {
  return net::sys::ops().accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
}

void echo_forever(int fd) {
  char buffer[4096];
  for (;;) {
    const auto r = net::recv_some(fd, {reinterpret_cast<std::byte*>(buffer), sizeof buffer});
    if (r.outcome != net::IoOutcome::kData) break;
    (void)net::send_all(fd, {reinterpret_cast<std::byte*>(buffer), r.bytes}, -1,
                        std::chrono::seconds(5));
  }
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  ::alarm(60);
  const std::string mode = argc > 1 ? argv[1] : "";
  const std::string host = argc > 2 ? argv[2] : "127.0.0.1";
  if (mode == "never-ready") {
    for (;;) ::pause();
  }
  net::Socket listener = listen_or_die(host);
  if (mode == "crash") {
    (void)accept_one(listener);
    std::fputs("misbehaving_target: about to crash\n", stderr);
    std::abort();
  }
  if (mode == "hang") {
    ::signal(SIGTERM, SIG_IGN);
    for (;;) (void)accept_one(listener);  // accepted, never read, never closed
  }
  if (mode == "daemon" || mode == "daemon-hang") {
    if (::fork() == 0) {
      ::setsid();
      if (::fork() != 0) _exit(0);
      ::alarm(60);
      const std::string dir = argc > 3 ? argv[3] : ".";
      std::ofstream(dir + "/daemon.pid.tmp") << ::getpid() << "\n";
      ::rename((dir + "/daemon.pid.tmp").c_str(), (dir + "/daemon.pid").c_str());
      for (;;) {
        const int fd = accept_one(listener);  // daemon-hang: accepted, never read
        if (fd >= 0 && mode == "daemon") echo_forever(fd);
      }
    }
    for (;;) ::pause();
  }
  if (mode == "flood") {
    std::jthread flood([] {
      const std::string line(1000, 'f');
      for (;;) {
        (void)!::write(1, line.data(), line.size());
        (void)!::write(2, line.data(), line.size());
      }
    });
    for (;;) {
      const int fd = accept_one(listener);  // one client at a time is enough here
      if (fd >= 0) echo_forever(fd);
    }
  }
  std::fprintf(
      stderr,
      "usage: misbehaving_target crash|hang|never-ready|flood|daemon|daemon-hang [host [dir]]\n");
  return 2;
}
