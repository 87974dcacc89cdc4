// A line server that writes an AFL++-style edge map itself (as afl-clang-fast's instrumentation
// would), for the tests of `sockspec fuzz --coverage afl` without AFL++: it attaches to the
// segment named by __AFL_SHM_ID and counts an edge for every line read (1), for OPEN on a fresh
// connection (101), then for KEY after it (102); BOOM after both aborts. Every line is answered
// "ok\r\n", so only the map tells the stages apart; after MUTE, nothing is answered any more
// (alive, but no longer speaking its protocol). Without __AFL_SHM_ID it writes nowhere.
// Usage: coverage_victim HOST. Prints a READY line; ends by itself after 60 s (alarm).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

unsigned char g_unattached[65536];
unsigned char* g_map = g_unattached;
bool g_muted = false;

void hit(std::size_t edge) {
  ++g_map[edge];
}

struct Client {
  int fd;
  int stage = 0;
  std::string pending;
};

// False: close the connection.
bool serve(Client& c) {
  char buf[4096];
  const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
  if (n <= 0) return false;
  c.pending.append(buf, static_cast<std::size_t>(n));
  for (std::size_t eol = 0; (eol = c.pending.find('\n')) != std::string::npos;) {
    std::string line = c.pending.substr(0, eol);
    c.pending.erase(0, eol + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    hit(1);
    if (c.stage == 0 && line == "OPEN") {
      c.stage = 1;
      hit(101);
    } else if (c.stage == 1 && line == "KEY") {
      c.stage = 2;
      hit(102);
    } else if (c.stage == 2 && line == "BOOM") {
      std::abort();
    } else if (line == "MUTE") {
      g_muted = true;
    }
    if (g_muted) continue;
    if (send(c.fd, "ok\r\n", 4, MSG_NOSIGNAL) != 4) return false;
  }
  return c.pending.size() <= 4096;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: coverage_victim HOST\n");
    return 2;
  }
  alarm(60);
  if (const char* id = std::getenv("__AFL_SHM_ID")) {
    void* at = shmat(std::atoi(id), nullptr, 0);
    if (at != reinterpret_cast<void*>(-1)) g_map = static_cast<unsigned char*>(at);  // NOLINT
  }
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) return 2;
  socklen_t len = sizeof addr;
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(listener, 64) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("coverage_victim: bind");
    return 1;
  }
  std::printf("READY tcp %s:%u\n", argv[1], static_cast<unsigned>(ntohs(addr.sin_port)));
  std::fflush(stdout);
  std::vector<Client> clients;
  for (;;) {
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    for (const Client& c : clients) fds.push_back({c.fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    for (std::size_t i = clients.size(); i > 0; --i) {
      if (fds[i].revents == 0 || serve(clients[i - 1])) continue;
      close(clients[i - 1].fd);
      clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i - 1));
    }
    if ((fds[0].revents & POLLIN) != 0) {
      const int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) clients.push_back({fd, 0, {}});
    }
  }
}
