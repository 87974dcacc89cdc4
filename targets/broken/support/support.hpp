// Plumbing shared by the broken servers: arguments, binding, READY, a correct echo loop.
//
// Each broken server writes its one bug in plain POSIX, the way real code does; everything else
// comes from here, so the bug is the only thing that differs from a correct server. The helpers
// are deliberately small and C-like: they are what the bug sits next to, not a framework.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace sockspec::broken {

// The reference server's flags, as the profiles pass them:
//   --bind HOST --port N [--service S] [--transport tcp|udp|tcp,udp]
struct Args {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string service = "echo";
  bool tcp = true;
  bool udp = false;
};

// Exits 2 with a usage line on an unknown flag or a bad value.
[[nodiscard]] Args parse_args(int argc, char** argv);

// Prints "<program>: <what>: <strerror(errno)>" on stderr and exits 1.
[[noreturn]] void die(const std::string& what);

// The socket address of args.host:port (IPv4 or IPv6, numeric only); exits 2 if it is not one.
[[nodiscard]] socklen_t address_of(const Args& args, sockaddr_storage& out);

// socket() + optional SO_REUSEADDR + bind() to args.host:port; dies on failure with the address
// in the message ("bind 127.0.0.1:7: Address already in use"). SO_REUSEADDR is for TCP only: on
// UDP, Linux lets two sockets that both set it share the port (an EPH-4 failure of its own).
[[nodiscard]] int bound_socket(const Args& args, int type, bool reuseaddr);

// bound_socket(SOCK_STREAM, reuseaddr) + listen(backlog).
[[nodiscard]] int tcp_listener(const Args& args, int backlog = SOMAXCONN, bool reuseaddr = true);

// "READY tcp 127.0.0.1:41234" for the socket's own address (getsockname), flushed at once.
void print_ready(const char* transport, int fd);

// "127.0.0.1:41234" / "[::1]:41234".
[[nodiscard]] std::string address_text(const sockaddr* addr, socklen_t len);

// accept() that retries EINTR and ECONNABORTED; dies on anything else.
[[nodiscard]] int accept_client(int listener);

// send() until every byte is out; false on an error (EPIPE, ECONNRESET...).
bool send_all(int fd, const void* data, std::size_t size);

// A correct echo: returns every byte until the peer's EOF (or an error), then returns.
void echo_until_eof(int fd);

// echo_until_eof(), then close().
void echo_and_close(int fd);

// The thread-per-client accept loop: each accepted connection goes to `handle` on a detached
// thread of its own (handle closes it). Never returns.
[[noreturn]] void serve_threads(int listener, void (*handle)(int client));

// A correct UDP echo on a bound socket: each datagram back to its source, forever. Runs on the
// calling thread.
[[noreturn]] void udp_echo(int fd);

// An epoll instance (close-on-exec) watching `listener` for EPOLLIN; dies on failure.
[[nodiscard]] int epoll_watching(int listener);

// epoll_ctl(op) of `fd` for `events`, with data.fd = fd (the event loops look fds up by it).
void epoll_watch(int epfd, int op, int fd, std::uint32_t events);

// SIGPIPE ignored, as every correct server does (STR-5).
void ignore_sigpipe();

}  // namespace sockspec::broken
