// Plumbing shared by the broken servers (see support.hpp).
#include "targets/broken/support/support.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>

namespace sockspec::broken {
namespace {

const char* program = "broken-target";

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "%s: %s\nusage: %s --bind HOST --port N [--service S] [--transport T]\n",
               program, why.c_str(), program);
  std::exit(2);
}

}  // namespace

Args parse_args(int argc, char** argv) {
  program = argc > 0 ? argv[0] : program;
  if (const char* slash = std::strrchr(program, '/')) program = slash + 1;
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("missing value for " + std::string(flag));
    const std::string value = argv[++i];
    if (flag == "--bind") {
      args.host = value;
    } else if (flag == "--port") {
      char* end = nullptr;
      const long port = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || port < 0 || port > 65535) usage("bad port " + value);
      args.port = static_cast<std::uint16_t>(port);
    } else if (flag == "--service") {
      args.service = value;
    } else if (flag == "--transport") {
      args.tcp = value.find("tcp") != std::string::npos;
      args.udp = value.find("udp") != std::string::npos;
      if (!args.tcp && !args.udp) usage("bad transport " + value);
    } else {
      usage("unknown flag " + std::string(flag));
    }
  }
  return args;
}

void die(const std::string& what) {
  const int error = errno;
  std::fprintf(stderr, "%s: %s: %s\n", program, what.c_str(), std::strerror(error));
  std::exit(1);
}

socklen_t address_of(const Args& args, sockaddr_storage& out) {
  out = {};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
  if (::inet_pton(AF_INET, args.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(args.port);
    return sizeof(sockaddr_in);
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
  if (::inet_pton(AF_INET6, args.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(args.port);
    return sizeof(sockaddr_in6);
  }
  usage("not a numeric address: " + args.host);
}

int bound_socket(const Args& args, int type, bool reuseaddr) {
  sockaddr_storage addr{};
  const socklen_t len = address_of(args, addr);
  const int fd = ::socket(addr.ss_family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  const int on = 1;
  if (addr.ss_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  if (reuseaddr) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
    die("bind " + address_text(reinterpret_cast<const sockaddr*>(&addr), len));
  }
  return fd;
}

int tcp_listener(const Args& args, int backlog, bool reuseaddr) {
  const int fd = bound_socket(args, SOCK_STREAM, reuseaddr);
  if (::listen(fd, backlog) != 0) die("listen");
  return fd;
}

std::string address_text(const sockaddr* addr, socklen_t len) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (addr->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(addr);
    ::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(v4->sin_port));
  }
  if (addr->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(addr);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(v6->sin6_port));
  }
  return "?";
}

void print_ready(const char* transport, int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) die("getsockname");
  std::printf("READY %s %s\n", transport,
              address_text(reinterpret_cast<sockaddr*>(&addr), len).c_str());
  std::fflush(stdout);
}

int accept_client(int listener) {
  for (;;) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    if (errno != EINTR && errno != ECONNABORTED) die("accept");
  }
}

bool send_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void echo_until_eof(int fd) {
  char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || !send_all(fd, buf, static_cast<std::size_t>(n))) return;
  }
}

void echo_and_close(int fd) {
  echo_until_eof(fd);
  ::close(fd);
}

void serve_threads(int listener, void (*handle)(int client)) {
  for (;;) {
    const int client = accept_client(listener);
    std::thread(handle, client).detach();
  }
}

void udp_echo(int fd) {
  static char buf[65536];
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    const ssize_t n =
        ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0 && (errno == EINTR || errno == ECONNREFUSED)) continue;
    if (n < 0) die("recvfrom");
    ::sendto(fd, buf, static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

int epoll_watching(int listener) {
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) die("epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  if (::epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) != 0) die("epoll_ctl");
  return epfd;
}

void epoll_watch(int epfd, int op, int fd, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  ::epoll_ctl(epfd, op, fd, &ev);
}

void ignore_sigpipe() {
  ::signal(SIGPIPE, SIG_IGN);
}

}  // namespace sockspec::broken
