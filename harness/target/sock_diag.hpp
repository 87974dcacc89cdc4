// Which of a set of socket inodes are listening TCP or bound UDP sockets, and on what address.
//
// Asked of the kernel's sock_diag netlink interface (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY),
// which returns only the rows asked for: TCP in state LISTEN, so the cost does not grow with the
// machine's TIME_WAIT or established connections. The /proc/net tables, which list every socket,
// are the fallback for each table sock_diag cannot serve (no netlink, udp_diag not loaded, a
// sandbox refusing the request).
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "harness/target/instance.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

// What one lookup read: rows are netlink messages or /proc/net lines, ours or not. For tests
// and diagnostics.
struct TableStats {
  std::uint32_t tcp_rows = 0;   // TCP rows, both families
  std::uint32_t udp_rows = 0;   // UDP rows, both families
  std::uint32_t fallbacks = 0;  // tables read from /proc/net because sock_diag refused them
};

// Listening TCP sockets and UDP sockets in any state whose inode is in `inodes`, from sock_diag
// only, in the order tcp, tcp6, udp, udp6 (as /proc/net). An IPv6 socket is an IPv6 endpoint,
// IPv4-mapped or "::" included. Errors name the table ("sock_diag udp6: No such file or
// directory (ENOENT)") and carry errno in Error::code; no answer within 2 s is an error too.
// `stats`, if given, is added to.
[[nodiscard]] net::Result<std::vector<BoundSocket>> diag_bound_sockets(
    const std::set<std::uint64_t>& inodes, TableStats* stats = nullptr);

// The same answer from /proc/net/{tcp,tcp6,udp,udp6}; a table that does not exist (no IPv6) is
// empty. Reads every row of the tables.
[[nodiscard]] net::Result<std::vector<BoundSocket>> proc_bound_sockets(
    const std::set<std::uint64_t>& inodes, TableStats* stats = nullptr);

// sock_diag, with each table it refuses (see sock_diag_refused) or cannot be asked at all read
// from /proc/net instead; other sock_diag errors (a timeout, a malformed answer) are returned.
[[nodiscard]] net::Result<std::vector<BoundSocket>> sockets_with_inodes(
    const std::set<std::uint64_t>& inodes, TableStats* stats = nullptr);

// Whether errno `code` from a sock_diag request means "not here" (no such protocol or family
// handler, not permitted) rather than a failure: EPROTONOSUPPORT, EAFNOSUPPORT, EOPNOTSUPP,
// EACCES, EPERM, ENOENT.
[[nodiscard]] bool sock_diag_refused(int code);

}  // namespace sockspec::target
