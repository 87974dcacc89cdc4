// Socket tables by inode: sock_diag netlink dumps (TCP LISTEN rows only), and the /proc/net
// tables as the fallback.
#include "harness/target/sock_diag.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "targets/net/fd.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::target {
namespace {

using scenario::Transport;

// One socket table: a transport and an address family, named as its /proc/net file.
struct Table {
  Transport transport;
  int family;
  const char* name;
};
constexpr std::array<Table, 4> kTables = {{{Transport::tcp, AF_INET, "tcp"},
                                           {Transport::tcp, AF_INET6, "tcp6"},
                                           {Transport::udp, AF_INET, "udp"},
                                           {Transport::udp, AF_INET6, "udp6"}}};

// The counter of `stats` for `transport`'s rows.
void add_rows(TableStats* stats, Transport transport, std::uint32_t rows) {
  if (stats == nullptr) return;
  (transport == Transport::tcp ? stats->tcp_rows : stats->udp_rows) += rows;
}

// ---- sock_diag ----------------------------------------------------------------------------

constexpr std::chrono::seconds kReceiveTimeout{2};
// The kernel sizes a dump's messages to the largest read it has seen, at most 32 KiB
// (netlink_recvmsg): a 32 KiB buffer is never truncated.
constexpr std::size_t kReceiveBuffer = 32768;

constexpr std::size_t nl_align(std::size_t n) {
  return (n + NLMSG_ALIGNTO - 1) & ~std::size_t{NLMSG_ALIGNTO - 1};
}
constexpr std::size_t kHeaderSize = nl_align(sizeof(nlmsghdr));

struct DiagRequest {
  nlmsghdr header;
  inet_diag_req_v2 body;
};
static_assert(sizeof(DiagRequest) == sizeof(nlmsghdr) + sizeof(inet_diag_req_v2));

// A NETLINK_SOCK_DIAG socket whose reads give up after kReceiveTimeout.
net::Result<net::Fd> open_diag() {
  net::Fd fd(net::sys::ops().socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!fd) return net::errno_error(errno, "sock_diag: socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
  const timeval timeout{kReceiveTimeout.count(), 0};
  if (net::sys::ops().setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) !=
      0) {
    return net::errno_error(errno, "sock_diag: setsockopt SO_RCVTIMEO");
  }
  return fd;
}

// Asks for a dump of `table`: TCP sockets in LISTEN only, UDP sockets in every state.
net::Status send_request(const net::Fd& fd, const Table& table, std::uint32_t seq) {
  DiagRequest r{};
  r.header.nlmsg_len = sizeof r;
  r.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  r.header.nlmsg_flags = static_cast<std::uint16_t>(NLM_F_REQUEST | NLM_F_DUMP);
  r.header.nlmsg_seq = seq;
  r.body.sdiag_family = static_cast<std::uint8_t>(table.family);
  r.body.sdiag_protocol = table.transport == Transport::tcp ? IPPROTO_TCP : IPPROTO_UDP;
  r.body.idiag_states = table.transport == Transport::tcp ? 1U << TCP_LISTEN : ~0U;
  ssize_t n = 0;
  do {
    n = net::sys::ops().send(fd.get(), &r, sizeof r, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return net::errno_error(errno, fmt::format("sock_diag {}: send", table.name));
  if (static_cast<std::size_t>(n) != sizeof r)
    return net::Error{fmt::format("sock_diag {}: sent {} of {} bytes", table.name, n, sizeof r)};
  return {};
}

net::Error malformed(const Table& table, std::string_view what) {
  return net::Error{fmt::format("sock_diag {}: malformed answer ({})", table.name, what)};
}

// The address a socket is bound to: an IPv6 socket's is IPv6, IPv4-mapped ones included.
std::optional<net::Endpoint> bound_endpoint(const inet_diag_msg& m) {
  net::Result<net::Endpoint> e = net::Error{};
  if (m.idiag_family == AF_INET) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = m.id.idiag_sport;
    std::memcpy(&sin.sin_addr, m.id.idiag_src, sizeof sin.sin_addr);
    e = net::Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin), sizeof sin);
  } else if (m.idiag_family == AF_INET6) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = m.id.idiag_sport;
    std::memcpy(&sin6.sin6_addr, m.id.idiag_src, sizeof sin6.sin6_addr);
    e = net::Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin6), sizeof sin6);
  }
  if (!e) return std::nullopt;
  return *e;
}

// Where one dump stands after a message.
struct DumpState {
  const Table& table;
  const std::set<std::uint64_t>& inodes;
  std::vector<BoundSocket> found;
  std::uint32_t rows = 0;
};

// Takes one message of the dump; the dump's outcome when it was the last one (NLMSG_DONE or
// NLMSG_ERROR), nullopt while more are to come.
std::optional<net::Status> take_message(DumpState& d, const nlmsghdr& h,
                                        std::span<const char> body) {
  const std::string context = fmt::format("sock_diag {}", d.table.name);
  int error = 0;
  switch (h.nlmsg_type) {
    case NLMSG_DONE:  // since Linux 4.x it carries the dump's error, 0 when it succeeded
      if (body.size() >= sizeof error) std::memcpy(&error, body.data(), sizeof error);
      if (error < 0) return net::errno_error(-error, context);
      return net::Status{};
    case NLMSG_ERROR:  // struct nlmsgerr; error 0 would be an acknowledgement
      if (body.size() < sizeof error) return malformed(d.table, "short NLMSG_ERROR");
      std::memcpy(&error, body.data(), sizeof error);
      if (error < 0) return net::errno_error(-error, context);
      return net::Status{};
    case SOCK_DIAG_BY_FAMILY: {
      inet_diag_msg m{};
      if (body.size() < sizeof m) return malformed(d.table, "short inet_diag_msg");
      std::memcpy(&m, body.data(), sizeof m);
      ++d.rows;
      if (d.inodes.count(m.idiag_inode) == 0) return std::nullopt;
      if (d.table.transport == Transport::tcp && m.idiag_state != TCP_LISTEN) return std::nullopt;
      if (const auto e = bound_endpoint(m)) d.found.push_back({d.table.transport, *e});
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// Reads the answer to request `seq` until its NLMSG_DONE or NLMSG_ERROR.
net::Status read_dump(const net::Fd& fd, std::uint32_t seq, DumpState& d) {
  std::array<char, kReceiveBuffer> buffer;
  for (;;) {
    const ssize_t n = net::sys::ops().recv(fd.get(), buffer.data(), buffer.size(), MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return net::Error{
          fmt::format("sock_diag {}: no answer within {} s", d.table.name, kReceiveTimeout.count()),
          ETIMEDOUT};
    }
    if (n < 0) return net::errno_error(errno, fmt::format("sock_diag {}: recv", d.table.name));
    const auto size = static_cast<std::size_t>(n);
    if (size > buffer.size()) return malformed(d.table, fmt::format("{}-byte message", size));
    if (size == 0) return malformed(d.table, "empty message");
    for (std::size_t at = 0; size - at >= sizeof(nlmsghdr);) {
      nlmsghdr h{};
      std::memcpy(&h, buffer.data() + at, sizeof h);
      if (h.nlmsg_len < kHeaderSize || h.nlmsg_len > size - at)
        return malformed(d.table, "bad nlmsg_len");
      const std::span<const char> body(buffer.data() + at + kHeaderSize, h.nlmsg_len - kHeaderSize);
      at += std::min(nl_align(h.nlmsg_len), size - at);
      if (h.nlmsg_seq != seq) continue;  // a late answer to an earlier request
      if (std::optional<net::Status> end = take_message(d, h, body)) return *end;
    }
  }
}

// Dumps one table into `out`, which is left as it was when the dump fails.
net::Status diag_table(const net::Fd& fd, const Table& table, std::uint32_t seq,
                       const std::set<std::uint64_t>& inodes, std::vector<BoundSocket>& out,
                       TableStats* stats) {
  if (net::Status s = send_request(fd, table, seq); !s) return s;
  DumpState d{table, inodes, {}, 0};
  if (net::Status s = read_dump(fd, seq, d); !s) return s;
  out.insert(out.end(), d.found.begin(), d.found.end());
  add_rows(stats, table.transport, d.rows);
  return {};
}

// ---- /proc/net ------------------------------------------------------------------------------

// Splits `line` at runs of spaces into `fields`; the number of fields found, at most its size.
std::size_t split_fields(std::string_view line, std::span<std::string_view> fields) {
  std::size_t n = 0;
  std::size_t at = line.find_first_not_of(' ');
  while (at != std::string_view::npos && n < fields.size()) {
    const std::size_t end = std::min(line.find(' ', at), line.size());
    fields[n++] = line.substr(at, end - at);
    at = line.find_first_not_of(' ', end);
  }
  return n;
}

// "0100007F:1F90" (IPv4) or 32 hex digits ":" port (IPv6): the kernel prints the address as
// native-endian 32-bit words of the network-order bytes, so copying the words back restores it.
std::optional<net::Endpoint> decode_address(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view hex = text.substr(0, colon);
  std::uint32_t port = 0;
  const std::string_view port_hex = text.substr(colon + 1);
  if (std::from_chars(port_hex.data(), port_hex.data() + port_hex.size(), port, 16).ec !=
          std::errc() ||
      port > 65535) {
    return std::nullopt;
  }
  if (hex.size() != 8 && hex.size() != 32) return std::nullopt;
  std::uint32_t words[4] = {};
  for (std::size_t i = 0; i < hex.size() / 8; ++i) {
    const char* begin = hex.data() + i * 8;
    if (std::from_chars(begin, begin + 8, words[i], 16).ec != std::errc()) return std::nullopt;
  }
  char printed[INET6_ADDRSTRLEN] = {};
  if (hex.size() == 8) {
    in_addr a{};
    std::memcpy(&a, words, sizeof a);
    ::inet_ntop(AF_INET, &a, printed, sizeof printed);
  } else {
    in6_addr a{};
    std::memcpy(&a, words, sizeof a);
    ::inet_ntop(AF_INET6, &a, printed, sizeof printed);
  }
  net::Result<net::Endpoint> e =
      net::Endpoint::from_host(printed, static_cast<std::uint16_t>(port));
  if (!e) return std::nullopt;
  return *e;
}

// Rows of /proc/net/<table> whose inode is in `inodes` (and, for TCP, in state LISTEN).
net::Status scan_table(const Table& table, const std::set<std::uint64_t>& inodes,
                       std::vector<BoundSocket>& out, TableStats* stats) {
  const std::string path = fmt::format("/proc/net/{}", table.name);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return {};  // no IPv6 in this kernel
    return net::errno_error(errno, fmt::format("cannot read {}", path));
  }
  std::string line;
  std::getline(in, line);  // the header
  std::uint32_t rows = 0;
  // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
  std::array<std::string_view, 10> f;
  while (std::getline(in, line)) {
    ++rows;
    if (split_fields(line, f) < f.size()) continue;
    std::uint64_t inode = 0;
    if (std::from_chars(f[9].data(), f[9].data() + f[9].size(), inode).ec != std::errc()) continue;
    if (inodes.count(inode) == 0) continue;
    // TCP: 0A is LISTEN. UDP sockets are "bound" in any state (07 unconnected, 01 connected).
    if (table.transport == Transport::tcp && f[3] != "0A") continue;
    if (const auto e = decode_address(f[1])) out.push_back({table.transport, *e});
  }
  add_rows(stats, table.transport, rows);
  return {};
}

}  // namespace

bool sock_diag_refused(int code) {
  switch (code) {
    case EPROTONOSUPPORT:
    case EAFNOSUPPORT:
    case EOPNOTSUPP:
    case EACCES:
    case EPERM:
    case ENOENT:
      return true;
    default:
      return false;
  }
}

net::Result<std::vector<BoundSocket>> diag_bound_sockets(const std::set<std::uint64_t>& inodes,
                                                         TableStats* stats) {
  net::Result<net::Fd> fd = open_diag();
  if (!fd) return fd.error();
  std::vector<BoundSocket> out;
  std::uint32_t seq = 0;
  for (const Table& t : kTables) {
    if (net::Status s = diag_table(*fd, t, ++seq, inodes, out, stats); !s) return s.error();
  }
  return out;
}

net::Result<std::vector<BoundSocket>> proc_bound_sockets(const std::set<std::uint64_t>& inodes,
                                                         TableStats* stats) {
  std::vector<BoundSocket> out;
  for (const Table& t : kTables) {
    if (net::Status s = scan_table(t, inodes, out, stats); !s) return s.error();
  }
  return out;
}

net::Result<std::vector<BoundSocket>> sockets_with_inodes(const std::set<std::uint64_t>& inodes,
                                                          TableStats* stats) {
  const net::Result<net::Fd> fd = open_diag();  // when it fails, every table is read from /proc
  std::vector<BoundSocket> out;
  std::uint32_t seq = 0;
  for (const Table& t : kTables) {
    if (fd) {
      net::Status s = diag_table(*fd, t, ++seq, inodes, out, stats);
      if (s) continue;
      if (!sock_diag_refused(s.error().code)) return s.error();
    }
    if (stats != nullptr) ++stats->fallbacks;
    if (net::Status s = scan_table(t, inodes, out, stats); !s) return s.error();
  }
  return out;
}

}  // namespace sockspec::target
