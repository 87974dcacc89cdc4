// Breaks SVC-1 only deep in a session: a stack buffer overflow that takes three messages with
// the right fields to reach (`sockspec fuzz --coverage afl`'s proof of power, ci/self-test).
//
// A small single-threaded (poll) server with its own line protocol (one command per line, CRLF or
// LF; replies "+OK ..." or "-ERR ...\r\n"):
//   LOGIN <user>     +OK hello <user>     (user: 1-32 characters, no space)
//   MODE text|binary +OK <mode>           (after LOGIN)
//   PUT <n> <data>   +OK stored <n>       (after LOGIN; a record of n bytes: <data>, padded)
//   QUIT             +OK bye, then close
// PUT fills a 64-byte record. Text mode checks n against the record; binary mode was
// meant to "allow records up to 128 bytes" and checks n against that instead, so
// LOGIN a, MODE binary, then PUT 65..128 writes past the record (ASan: stack-buffer-overflow,
// then SIGABRT). Every message on its own, or in another order, is answered correctly.
// `--fixed` checks n against the record in both modes: the same server without the bug, which
// the reproducer must pass (profiles-fuzz/staged-length-fixed.yaml).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "targets/broken/support/support.hpp"

namespace {

constexpr std::size_t kRecord = 64;
constexpr std::size_t kBinaryLimit = 128;  // the bug: not the record's size
constexpr std::size_t kLineMax = 4096;
bool fixed = false;

struct Session {
  bool logged_in = false;
  bool binary = false;
};

bool reply(int fd, const std::string& text) {
  const std::string line = text + "\r\n";
  return sockspec::broken::send_all(fd, line.data(), line.size());
}

// PUT <n> <data>: the record is `data` (the rest of the line), cut or padded with spaces to n.
std::string put(const Session& s, std::string_view args) {
  if (!s.logged_in) return "-ERR login first";
  const std::size_t space = args.find(' ');
  const std::string_view count = args.substr(0, space);
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
  if (ec != std::errc() || end != count.data() + count.size() || space == std::string_view::npos)
    return "-ERR usage: PUT <n> <data>";
  const std::string_view data = args.substr(space + 1);
  const std::size_t limit = s.binary && !fixed ? kBinaryLimit : kRecord;
  if (n > limit) return "-ERR too long";
  char record[kRecord];
  const std::size_t copied = std::min(n, data.size());
  std::memcpy(record, data.data(), copied);  // binary mode: up to 128 bytes into 64
  std::memset(record + copied, ' ', n - copied);
  // Records are checksummed by size class (small, medium, large), as a store's slab classes.
  unsigned sum = 0;
  if (n > 32) {
    for (std::size_t i = 0; i < n; i += 4) sum = sum * 31 + static_cast<unsigned char>(record[i]);
  } else if (n > 16) {
    for (std::size_t i = 0; i < n; i += 2) sum = sum * 17 + static_cast<unsigned char>(record[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) sum += static_cast<unsigned char>(record[i]);
  }
  return "+OK stored " + std::to_string(n) + (sum == 7 ? " lucky" : "");
}

// One command; false: close the connection (QUIT). A reply the client no longer reads does not
// stop the commands it already sent.
bool command(int fd, Session& s, std::string_view line) {
  const std::size_t space = line.find(' ');
  const std::string_view verb = line.substr(0, space);
  const std::string_view args =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  std::string answer = "-ERR unknown command";
  if (verb == "LOGIN") {
    if (args.empty() || args.size() > 32 || args.find(' ') != std::string_view::npos) {
      answer = "-ERR usage: LOGIN <user>";
    } else {
      s.logged_in = true;
      answer = "+OK hello " + std::string(args);
    }
  } else if (verb == "MODE") {
    if (!s.logged_in) {
      answer = "-ERR login first";
    } else if (args != "text" && args != "binary") {
      answer = "-ERR usage: MODE text|binary";
    } else {
      s.binary = args == "binary";
      answer = "+OK " + std::string(args);
    }
  } else if (verb == "PUT") {
    answer = put(s, args);
  } else if (verb == "QUIT") {
    (void)reply(fd, "+OK bye");
    return false;
  }
  (void)reply(fd, answer);
  return true;
}

struct Client {
  int fd;
  Session session;
  std::string pending;
};

// Reads what `c` sent and answers its complete lines; false: close it (EOF, error, QUIT, a line
// too long).
bool serve(Client& c) {
  char buf[4096];
  const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n < 0 && errno == EINTR) return true;
  if (n <= 0) return false;
  c.pending.append(buf, static_cast<std::size_t>(n));
  std::size_t eol = 0;
  while ((eol = c.pending.find('\n')) != std::string::npos) {
    std::string_view line(c.pending.data(), eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!command(c.fd, c.session, line)) return false;
    c.pending.erase(0, eol + 1);
  }
  if (c.pending.size() > kLineMax) {
    (void)reply(c.fd, "-ERR line too long");
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sockspec::broken;
  // --fixed is ours; the rest are the reference server's flags.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--fixed") {
      fixed = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  const Args args = parse_args(kept, argv);
  ignore_sigpipe();
  const int listener = tcp_listener(args);
  print_ready("tcp", listener);
  // One thread for every client (poll): a crash stops the whole server at once.
  std::vector<Client> clients;
  for (;;) {
    std::vector<pollfd> fds{{listener, POLLIN, 0}};
    for (const Client& c : clients) fds.push_back({c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    for (std::size_t i = clients.size(); i > 0; --i) {
      if (fds[i].revents == 0) continue;
      if (!serve(clients[i - 1])) {
        ::close(clients[i - 1].fd);
        clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i - 1));
      }
    }
    if ((fds[0].revents & POLLIN) != 0) clients.push_back({accept_client(listener), {}, {}});
  }
}
