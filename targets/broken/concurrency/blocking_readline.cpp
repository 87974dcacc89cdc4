// Breaks CON-1: a poll() loop that, once a client is readable, reads its whole request with
// blocking reads: a client stalled mid-request blocks every other client.
//
// A single-threaded `line` server that looks concurrent: one poll() over the listener and every
// client. But when a client becomes readable it calls the textbook readline() (Stevens, UNP 3.9):
// read() one byte at a time until the LF, on a blocking socket. Readable means one byte is there,
// not a line: a client that sent half a request (a slow link, a paused program) parks the whole
// server inside that read() until the rest arrives, and everyone else waits.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "targets/broken/support/support.hpp"
#include "targets/proto/line_reply.hpp"

namespace {

using namespace sockspec;

struct Client {
  int fd;
  std::string peer;       // for WHOAMI
  bool draining = false;  // closing: our side is shut, reading until the client's EOF
};

// Reads one request and answers it; false when the connection is done (closing it on our side).
bool serve_request(const Client& c) {
  std::string line;
  for (;;) {
    char ch;
    const ssize_t n = ::recv(c.fd, &ch, 1, 0);  // the bug: blocks until the whole line is here
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (ch == '\n') break;
    if (line.size() == proto::kMaxLineBytes) {
      broken::send_all(c.fd, proto::kLineTooLongReply.data(), proto::kLineTooLongReply.size());
      return false;
    }
    line += ch;
  }
  std::string reply;
  const auto after = proto::append_reply(proto::parse_request(line), {c.peer}, reply);
  return broken::send_all(c.fd, reply.data(), reply.size()) &&
         after == proto::AfterReply::kKeepOpen;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  const Args args = parse_args(argc, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  std::vector<Client> clients;
  for (;;) {
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    for (const Client& c : clients) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    for (std::size_t i = clients.size(); i-- > 0;) {
      if (fds[i + 1].revents == 0) continue;
      Client& c = clients[i];
      if (!c.draining && serve_request(c)) continue;
      char discard[4096];
      if (c.draining && ::recv(c.fd, discard, sizeof discard, 0) > 0) continue;
      if (!c.draining && ::shutdown(c.fd, SHUT_WR) == 0) {  // FIN first, so nothing is reset
        c.draining = true;
        continue;
      }
      ::close(c.fd);
      clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (fds[0].revents != 0) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
      if (fd >= 0) clients.push_back({fd, address_text(reinterpret_cast<sockaddr*>(&addr), len)});
    }
  }
}
