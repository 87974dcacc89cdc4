// Plumbing shared by the broken clients (see client_support.hpp).
#include "targets/broken/client/client_support.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "targets/broken/support/support.hpp"

namespace sockspec::broken::client {
namespace {

const char* program = "broken-client";

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "%s: %s\nusage: %s --connect HOST:PORT [--transport tcp|udp] [--message TEXT] "
               "[--timeout DURATION] [--retries N] [--lines] [--help]\n",
               program, why.c_str(), program);
  std::exit(kExitBadArguments);
}

int ms_left(Clock::time_point until) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 24LL * 3600 * 1000));
}

// "500ms", "5s", "2.5s", "1m": a number and a unit; at least 1 ms, at most 24 h.
bool parse_duration(const std::string& text, std::chrono::milliseconds& out) {
  long long unit = 0;
  std::string number;
  if (text.size() > 2 && text.ends_with("ms")) {
    unit = 1;
    number = text.substr(0, text.size() - 2);
  } else if (text.size() > 1 && text.ends_with("s")) {
    unit = 1000;
    number = text.substr(0, text.size() - 1);
  } else if (text.size() > 1 && text.ends_with("m")) {
    unit = 60'000;
    number = text.substr(0, text.size() - 1);
  } else {
    return false;
  }
  const std::size_t dot = number.find('.');
  const std::string whole = number.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : number.substr(dot + 1);
  const auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 9 || !digits(whole) || !digits(fraction) ||
      (dot != std::string::npos && fraction.empty())) {
    return false;
  }
  long long ms = std::stoll(whole) * unit;
  long long scale = 1;
  long long frac = 0;
  for (std::size_t i = 0; i < fraction.size() && i < 9; ++i) {
    frac = frac * 10 + (fraction[i] - '0');
    scale *= 10;
  }
  ms += (frac * unit * 2 + scale) / (2 * scale);
  if (ms < 1 || ms > 24LL * 3600 * 1000) return false;
  out = std::chrono::milliseconds(ms);
  return true;
}

// "127.0.0.1:7" or "[::1]:7", numeric only.
bool parse_endpoint(const std::string& text, ClientArgs& args) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 >= text.size()) return false;
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (!std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      port_text.size() > 5) {
    return false;
  }
  const long port = std::strtol(port_text.c_str(), nullptr, 10);
  if (port < 1 || port > 65535) return false;
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  args.server = {};
  if (!bracketed) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&args.server);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) != 1) return false;
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    args.server_len = sizeof(sockaddr_in);
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&args.server);
    if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) != 1) return false;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    args.server_len = sizeof(sockaddr_in6);
  }
  args.server_text = text;
  return true;
}

// All of stdin, within the deadline.
std::string read_stdin(const ClientArgs& args) {
  std::string text;
  char buf[65536];
  for (;;) {
    if (!wait_for(STDIN_FILENO, POLLIN, args.deadline)) {
      fail(kExitTimeout, "timed out reading the message from stdin");
    }
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail_errno(kExitError, "read stdin");
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
}

// The request lines of --lines, each with its LF as given (an unterminated last one too).
std::vector<std::string> split_lines(const std::string& message) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < message.size()) {
    const std::size_t lf = message.find('\n', at);
    const std::size_t end = lf == std::string::npos ? message.size() : lf + 1;
    lines.push_back(message.substr(at, end - at));
    at = end;
  }
  return lines;
}

}  // namespace

ClientArgs parse_client_args(int argc, char** argv) {
  const Clock::time_point start = Clock::now();
  program = argc > 0 ? argv[0] : program;
  if (const char* slash = std::strrchr(program, '/')) program = slash + 1;
  ::signal(SIGPIPE, SIG_IGN);
  ClientArgs args;
  bool have_connect = false;
  bool have_message = false;
  bool have_retries = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    bool inline_value = false;
    if (const std::size_t eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      inline_value = true;
    }
    if (flag == "--help" || flag == "-h") {
      std::printf(
          "usage: %s --connect HOST:PORT [--transport tcp|udp] [--message TEXT] "
          "[--timeout DURATION] [--retries N] [--lines] [--help]\n",
          program);
      std::exit(kExitOk);
    }
    if (flag == "--lines") {
      if (inline_value) usage("--lines takes no value");
      args.lines = true;
      continue;
    }
    if (flag != "--transport" && flag != "--connect" && flag != "--message" &&
        flag != "--timeout" && flag != "--retries") {
      usage("unknown flag " + flag);
    }
    if (!inline_value) {
      if (i + 1 >= argc) usage("missing value for " + flag);
      value = argv[++i];
    }
    if (flag == "--transport") {
      if (value != "tcp" && value != "udp") usage("--transport: expected tcp or udp, got " + value);
      args.udp = value == "udp";
    } else if (flag == "--connect") {
      if (!parse_endpoint(value, args))
        usage("--connect: expected 127.0.0.1:7 or [::1]:7, got " + value);
      have_connect = true;
    } else if (flag == "--message") {
      args.message = value;
      have_message = true;
    } else if (flag == "--timeout") {
      if (!parse_duration(value, args.timeout)) {
        usage("--timeout: invalid duration '" + value + "': expected 5s, 500ms or 2.5s");
      }
    } else {
      char* end = nullptr;
      const long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 0 || n > 100) usage("--retries: expected 0 to 100");
      args.retries = static_cast<unsigned>(n);
      have_retries = true;
    }
  }
  if (!have_connect) usage("--connect is required");
  if (have_retries && !args.udp) usage("--retries only applies to --transport udp");
  args.deadline = start + args.timeout;
  if (!have_message) args.message = read_stdin(args);
  if (args.lines && args.message.empty()) usage("--lines needs at least one request line");
  return args;
}

void fail(int code, const std::string& reason) {
  std::fprintf(stderr, "%s: %s\n", program, reason.c_str());
  std::exit(code);
}

void fail_errno(int code, const std::string& what) {
  fail(code, what + ": " + std::strerror(errno));
}

bool wait_for(int fd, short events, Clock::time_point until) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, ms_left(until));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) fail_errno(kExitError, "poll");
  }
}

void print_reply(const std::string& reply) {
  std::size_t done = 0;
  while (done < reply.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, reply.data() + done, reply.size() - done);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail_errno(kExitError, "write stdout");
    }
    done += static_cast<std::size_t>(n);
  }
}

// ---- TCP ----

int tcp_socket(const ClientArgs& args) {
  const int fd = ::socket(args.server.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail_errno(kExitError, "socket");
  return fd;
}

int tcp_connect(const ClientArgs& args, int fd) {
  if (fd < 0) fd = tcp_socket(args);
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  const std::string what = "connect " + args.server_text;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&args.server), args.server_len) != 0) {
    if (errno != EINPROGRESS) fail_errno(errno == ECONNREFUSED ? kExitRefused : kExitError, what);
    if (!wait_for(fd, POLLOUT, args.deadline)) fail(kExitTimeout, what + ": timed out");
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      errno = error;
      fail_errno(error == ECONNREFUSED ? kExitRefused : kExitError, what);
    }
  }
  ::fcntl(fd, F_SETFL, flags);
  return fd;
}

void tcp_send_request(int fd, const ClientArgs& args) {
  std::string request = args.message;
  if (args.lines && !request.empty() && request.back() != '\n') request += '\n';
  std::size_t done = 0;
  while (done < request.size()) {
    if (!wait_for(fd, POLLOUT, args.deadline)) fail(kExitTimeout, "timed out sending the request");
    const ssize_t n =
        ::send(fd, request.data() + done, request.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail_errno(errno == EPIPE || errno == ECONNRESET ? kExitPeerClosed : kExitError, "send");
    }
    done += static_cast<std::size_t>(n);
  }
  if (!args.lines) ::shutdown(fd, SHUT_WR);
}

std::size_t expected_reply_lines(const ClientArgs& args) {
  return args.lines ? split_lines(args.message).size() : 0;
}

std::size_t through_line(const std::string& reply, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lf = reply.find('\n', at);
    if (lf == std::string::npos) return std::string::npos;
    at = lf + 1;
  }
  return at;
}

ssize_t receive_before_deadline(int fd, char* buf, std::size_t size, const ClientArgs& args) {
  if (!wait_for(fd, POLLIN, args.deadline)) {
    fail(kExitTimeout, "timed out waiting for the reply from " + args.server_text);
  }
  return ::recv(fd, buf, size, MSG_DONTWAIT);
}

std::string tcp_read_reply(int fd, const ClientArgs& args, Receive receive) {
  const std::size_t lines = expected_reply_lines(args);
  std::string reply;
  char buf[65536];
  for (;;) {
    if (lines > 0) {
      if (const std::size_t end = through_line(reply, lines); end != std::string::npos) {
        reply.resize(end);
        return reply;
      }
    }
    const ssize_t n = receive(fd, buf, sizeof buf, args);
    if (n == 0) {
      if (lines > 0) fail(kExitPeerClosed, "the server closed before the last reply line");
      return reply;
    }
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail_errno(errno == ECONNRESET ? kExitPeerClosed : kExitError, "recv");
    }
    reply.append(buf, static_cast<std::size_t>(n));
  }
}

// ---- UDP ----

int udp_socket(const ClientArgs& args) {
  const int family = args.server.ss_family;
  const int fd = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) fail_errno(kExitError, "socket");
  const int on = 1;
  if (family == AF_INET6) {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
  } else {
    ::setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
  }
  return fd;
}

std::vector<std::string> udp_requests(const ClientArgs& args) {
  return args.lines ? split_lines(args.message) : std::vector<std::string>{args.message};
}

void udp_send(int fd, const ClientArgs& args, const std::string& request) {
  for (;;) {
    const ssize_t n = ::sendto(fd, request.data(), request.size(), 0,
                               reinterpret_cast<const sockaddr*>(&args.server), args.server_len);
    if (n >= 0) return;
    if (errno == EINTR) continue;
    // We only ever send to the server: a pending port unreachable is about it.
    fail_errno(errno == ECONNREFUSED ? kExitRefused : kExitError, "sendto " + args.server_text);
  }
}

void udp_check_errors(int fd, const ClientArgs& args) {
  for (;;) {
    sockaddr_storage target{};
    alignas(cmsghdr) unsigned char control[512];
    char payload[64];
    iovec iov{payload, sizeof payload};
    msghdr msg{};
    msg.msg_name = &target;
    msg.msg_namelen = sizeof target;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (::recvmsg(fd, &msg, MSG_ERRQUEUE) < 0) {
      if (errno == EINTR) continue;
      return;  // empty (EAGAIN)
    }
    if (!from_server(target, msg.msg_namelen, args)) continue;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (!(c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) &&
          !(c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
        continue;
      }
      sock_extended_err ee{};
      std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
      errno = static_cast<int>(ee.ee_errno);
      fail_errno(errno == ECONNREFUSED ? kExitRefused : kExitError, "sendto " + args.server_text);
    }
  }
}

bool from_server(const sockaddr_storage& from, socklen_t len, const ClientArgs& args) {
  if (from.ss_family != args.server.ss_family) return false;
  if (from.ss_family == AF_INET && len >= sizeof(sockaddr_in)) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&from);
    const auto* b = reinterpret_cast<const sockaddr_in*>(&args.server);
    return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (from.ss_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&from);
    const auto* b = reinterpret_cast<const sockaddr_in6*>(&args.server);
    return a->sin6_port == b->sin6_port &&
           std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
  }
  return false;
}

Clock::time_point attempt_until(const ClientArgs& args, unsigned attempt) {
  if (attempt >= args.retries) return args.deadline;
  const auto slot = args.timeout / static_cast<std::chrono::milliseconds::rep>(1 + args.retries);
  return std::min(Clock::now() + slot, args.deadline);
}

void udp_drop_waiting(int fd) {
  char buf[65536];
  while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0 || errno == EINTR) {
  }
}

std::string udp_ask(int fd, const ClientArgs& args, const std::string& request) {
  char buf[65536];
  for (unsigned attempt = 0; attempt <= args.retries; ++attempt) {
    if (attempt > 0 && Clock::now() >= args.deadline) break;
    udp_send(fd, args, request);
    const Clock::time_point until = attempt_until(args, attempt);
    while (wait_for(fd, POLLIN, until)) {
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      const ssize_t n =
          ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) {
        // Nothing to read after a wakeup is POLLERR: an ICMP error waits in the error queue.
        if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED) {
          fail_errno(kExitError, "recvfrom");
        }
        udp_check_errors(fd, args);
        continue;
      }
      if (!from_server(from, len, args)) {
        std::fprintf(stderr, "%s: ignored datagram from %s: not the server %s\n", program,
                     address_text(reinterpret_cast<const sockaddr*>(&from), len).c_str(),
                     args.server_text.c_str());
        continue;
      }
      return std::string(buf, static_cast<std::size_t>(n));
    }
  }
  fail(kExitTimeout, "timed out: no reply from " + args.server_text);
}

// ---- the whole exchange ----

std::string exchange(const ClientArgs& args) {
  if (!args.udp) {
    const int fd = tcp_connect(args);
    tcp_send_request(fd, args);
    std::string reply = tcp_read_reply(fd, args);
    ::close(fd);
    return reply;
  }
  const int fd = udp_socket(args);
  std::string reply;
  bool first = true;
  for (const std::string& request : udp_requests(args)) {
    if (!first) udp_drop_waiting(fd);
    first = false;
    reply += udp_ask(fd, args, request);
  }
  ::close(fd);
  return reply;
}

}  // namespace sockspec::broken::client
