// Plumbing shared by the broken clients: the reference client's flags and exit codes, and a
// correct version of every piece of the exchange (connect, send, read the reply, UDP with retries
// and source checks, printing).
//
// Each broken client writes its one bug in plain POSIX, the way real client code does, and takes
// everything else from here, so the bug is the only thing that differs from a correct client
// (sockspec-client's contract: `sockspec-client --help`, targets/client/README.md). The helpers
// are small and C-like on purpose. Every helper that fails prints one reason line
// ("<program>: <reason>") on stderr and exits with the contract's code.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace sockspec::broken::client {

using Clock = std::chrono::steady_clock;

// The exit codes of the client contract.
enum Exit : int {
  kExitOk = 0,
  kExitError = 1,  // anything not below
  kExitBadArguments = 2,
  kExitRefused = 3,     // TCP ECONNREFUSED; UDP ICMP port unreachable from the server
  kExitTimeout = 4,     // --timeout ran out
  kExitPeerClosed = 5,  // reset, or EOF before the last --lines reply line
};

// The reference client's flags:
//   --connect HOST:PORT [--transport tcp|udp] [--message TEXT] [--timeout DURATION]
//   [--retries N] [--lines] [--help]
struct ClientArgs {
  bool udp = false;
  sockaddr_storage server{};  // numeric 127.0.0.1:7 or [::1]:7
  socklen_t server_len = 0;
  std::string server_text;
  std::string message;  // --message, else all of stdin (read within the timeout)
  std::chrono::milliseconds timeout{5000};
  unsigned retries = 2;  // UDP only
  bool lines = false;
  Clock::time_point deadline;  // start + timeout: one deadline for the whole run
};

// Parses the flags (exit 2 with a reason and a usage line on a bad one; --help: usage, exit 0),
// ignores SIGPIPE, then reads the message from stdin when --message is absent (exit 4 when the
// timeout runs out first). --lines with an empty message is a bad argument.
[[nodiscard]] ClientArgs parse_client_args(int argc, char** argv);

// "<program>: <reason>" on stderr, then exit(code).
[[noreturn]] void fail(int code, const std::string& reason);
// The same with ": <strerror(errno)>" appended.
[[noreturn]] void fail_errno(int code, const std::string& what);

// poll() for `events` until `until`: false when the time ran out (exits 1 on a poll error).
bool wait_for(int fd, short events, Clock::time_point until);

// Writes every byte to stdout (exit 1 on an error, EPIPE included).
void print_reply(const std::string& reply);

// ---- TCP ----

// socket() of the server's family (blocking, close-on-exec).
[[nodiscard]] int tcp_socket(const ClientArgs& args);
// Connects `fd` (tcp_socket() when -1) within the deadline; returns it connected and blocking.
// Exits 3 when refused, 4 on timeout, 1 otherwise.
int tcp_connect(const ClientArgs& args, int fd = -1);
// Sends the message whole (--lines: with an LF after an unterminated last line), then half-closes
// unless --lines. Exits 5 on a reset/EPIPE, 4 on timeout.
void tcp_send_request(int fd, const ClientArgs& args);
// --lines: how many reply lines to read (the request lines); otherwise 0 (read to EOF).
[[nodiscard]] std::size_t expected_reply_lines(const ClientArgs& args);
// Length of `reply` through its n-th LF, or std::string::npos if it has fewer.
[[nodiscard]] std::size_t through_line(const std::string& reply, std::size_t n);
// One read of the reply into `buf`: what recv() returns (bytes, 0 at EOF, or -1 with errno).
using Receive = ssize_t (*)(int fd, char* buf, std::size_t size, const ClientArgs& args);
// The correct one: waits for data until the run's deadline (exit 4 when it passes), then reads.
ssize_t receive_before_deadline(int fd, char* buf, std::size_t size, const ClientArgs& args);
// Reads the whole reply correctly, each read done by `receive`: to EOF, or (--lines) through the
// last expected line. Exits 5 on a reset or an EOF before the last expected line, 1 on another
// error (EINTR and EAGAIN are read again).
[[nodiscard]] std::string tcp_read_reply(int fd, const ClientArgs& args,
                                         Receive receive = receive_before_deadline);

// ---- UDP ----

// An unconnected, unbound, non-blocking UDP socket with IP_RECVERR/IPV6_RECVERR, so that an
// ICMP port unreachable from the server can be told apart (the kernel picks the port at the
// first sendto).
[[nodiscard]] int udp_socket(const ClientArgs& args);
// The datagrams to send: the message, or (--lines) each line with its LF as given.
[[nodiscard]] std::vector<std::string> udp_requests(const ClientArgs& args);
// sendto() the server; exits 3 when an ICMP error is pending (refused), 1 otherwise (EMSGSIZE).
void udp_send(int fd, const ClientArgs& args, const std::string& request);
// After POLLERR or ECONNREFUSED: drains the error queue, exits 3 on a port unreachable for the
// server, 1 on another ICMP error about it; returns when it held nothing about the server.
void udp_check_errors(int fd, const ClientArgs& args);
// Whether `from` is the server's address and port.
[[nodiscard]] bool from_server(const sockaddr_storage& from, socklen_t len, const ClientArgs& args);
// When attempt `attempt` (0-based) of a request stops waiting: timeout / (1 + retries) after
// `start`, the last attempt the whole deadline.
[[nodiscard]] Clock::time_point attempt_until(const ClientArgs& args, unsigned attempt);
// Reads and drops the datagrams already waiting (late replies to earlier --lines requests).
void udp_drop_waiting(int fd);
// One request done correctly: up to 1 + retries attempts, only the server's datagram accepted;
// exits 4 when none came.
[[nodiscard]] std::string udp_ask(int fd, const ClientArgs& args, const std::string& request);

// ---- the whole exchange, correct ----

// TCP: connect, send, read the reply; UDP: each request with udp_ask. Returns the reply.
[[nodiscard]] std::string exchange(const ClientArgs& args);

}  // namespace sockspec::broken::client
