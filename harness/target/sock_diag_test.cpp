// Tests of the socket lookup by inode: sock_diag against sockets made here, its row count with
// thousands of TIME_WAIT sockets about, and the /proc/net fallback giving the same answer.
#include "harness/target/sock_diag.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "targets/net/fd.hpp"
#include "targets/net/socket.hpp"
#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

std::uint64_t inode_of(const net::Socket& s) {
  struct stat st {};
  if (::fstat(s.fd(), &st) != 0) return 0;
  return st.st_ino;
}

// "tcp 127.0.0.1:80", "udp [::1]:53": what the matchers compare.
std::vector<std::string> described(const std::vector<BoundSocket>& sockets) {
  std::vector<std::string> out;
  for (const BoundSocket& b : sockets) {
    out.push_back(fmt::format("{} {}", b.transport == scenario::Transport::tcp ? "tcp" : "udp",
                              b.endpoint.to_string()));
  }
  return out;
}

// A socket made for a test, where it is bound, and its inode.
struct Made {
  net::Socket socket;
  net::Endpoint where;
  std::uint64_t inode = 0;
};

// A TCP (listening when `listen`) or UDP socket bound to `host` on a free port; nullopt when
// the host cannot be bound here (no IPv6).
std::optional<Made> make_socket(scenario::Transport transport, std::string_view host,
                                bool listen = true) {
  const net::Endpoint asked = *net::Endpoint::from_host(host, 0);
  net::Result<net::Socket> s = transport == scenario::Transport::tcp
                                   ? net::Socket::tcp(asked.family())
                                   : net::Socket::udp(asked.family());
  if (!s || !s->bind(asked)) return std::nullopt;
  if (transport == scenario::Transport::tcp && listen && !s->listen(16)) return std::nullopt;
  net::Result<net::Endpoint> where = s->local_endpoint();
  if (!where) return std::nullopt;
  const std::uint64_t inode = inode_of(*s);
  return Made{std::move(*s), *where, inode};
}

// The sock_diag answer, or a skip when this kernel refuses sock_diag (then the lookup falls
// back to /proc/net, which ProcBoundSockets covers).
#define ASSERT_DIAG_OK(result)                                                         \
  do {                                                                                 \
    if (!(result) && sock_diag_refused((result).error().code))                         \
      GTEST_SKIP() << "sock_diag is not available here: " << (result).error().message; \
    ASSERT_THAT((result), IsOk());                                                     \
  } while (false)

TEST(DiagBoundSockets, FindsListeningTcpAndBoundUdpSocketsByInode) {
  std::optional<Made> tcp4 = make_socket(scenario::Transport::tcp, "127.0.0.1");
  ASSERT_TRUE(tcp4);
  std::optional<Made> tcp6 = make_socket(scenario::Transport::tcp, "::1");  // none: no IPv6
  std::optional<Made> udp4 = make_socket(scenario::Transport::udp, "127.0.0.1");
  ASSERT_TRUE(udp4);
  std::optional<Made> bound_only = make_socket(scenario::Transport::tcp, "127.0.0.1", false);
  ASSERT_TRUE(bound_only);
  net::Result<net::Socket> client = net::Socket::tcp(AF_INET);
  ASSERT_THAT(client, IsOk());
  ASSERT_THAT(client->connect(tcp4->where), IsOk());
  net::Socket served(net::Fd(::accept4(tcp4->socket.fd(), nullptr, nullptr, SOCK_CLOEXEC)));
  ASSERT_TRUE(served.valid());

  std::set<std::uint64_t> inodes = {tcp4->inode, udp4->inode, bound_only->inode, inode_of(*client),
                                    inode_of(served)};
  std::vector<std::string> expected = {"tcp " + tcp4->where.to_string(),
                                       "udp " + udp4->where.to_string()};
  if (tcp6) {
    inodes.insert(tcp6->inode);
    expected.push_back("tcp " + tcp6->where.to_string());
  }
  TableStats stats;
  net::Result<std::vector<BoundSocket>> found = diag_bound_sockets(inodes, &stats);
  ASSERT_DIAG_OK(found);
  // Neither the bound-only socket nor either end of the connection: they do not listen.
  EXPECT_THAT(described(*found), UnorderedElementsAreArray(expected));
  EXPECT_GE(stats.tcp_rows, tcp6 ? 2U : 1U);
  EXPECT_GE(stats.udp_rows, 1U);
  EXPECT_EQ(stats.fallbacks, 0U);
}

TEST(DiagBoundSockets, AnInodeNotAskedForIsNotReported) {
  std::optional<Made> tcp4 = make_socket(scenario::Transport::tcp, "127.0.0.1");
  ASSERT_TRUE(tcp4);
  net::Result<std::vector<BoundSocket>> found = diag_bound_sockets({tcp4->inode + 1000000});
  ASSERT_DIAG_OK(found);
  EXPECT_THAT(described(*found),
              ::testing::Not(::testing::Contains("tcp " + tcp4->where.to_string())));
}

// TIME_WAIT rows of /proc/net/tcp with `port` at either end.
std::size_t time_waits_on_port(std::uint16_t port) {
  std::ifstream in("/proc/net/tcp");
  const std::string suffix = fmt::format(":{:04X}", port);
  std::size_t n = 0;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    // "  12: 0100007F:8F2A 0100007F:1F90 06 ...": sl, local, remote, state (06 is TIME_WAIT).
    std::string_view fields[4];
    std::string_view rest = line;
    for (std::string_view& f : fields) {
      rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
      f = rest.substr(0, rest.find(' '));
      rest.remove_prefix(f.size());
    }
    if (fields[3] == "06" && (fields[1].ends_with(suffix) || fields[2].ends_with(suffix))) ++n;
  }
  return n;
}

TEST(DiagBoundSockets, TcpRowsDoNotGrowWithTimeWaitSockets) {
  constexpr int kConnections = 2000;
  std::optional<Made> listener = make_socket(scenario::Transport::tcp, "127.0.0.1");
  ASSERT_TRUE(listener);
  const timeval accept_timeout{2, 0};  // accept(2) honours SO_RCVTIMEO: never a hang
  ASSERT_EQ(::setsockopt(listener->socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &accept_timeout,
                         sizeof accept_timeout),
            0);
  TableStats before;
  net::Result<std::vector<BoundSocket>> found = diag_bound_sockets({listener->inode}, &before);
  ASSERT_DIAG_OK(found);
  ASSERT_EQ(found->size(), 1U);

  // The client closes first (the active closer), so its end stays in TIME_WAIT for 60 s.
  for (int i = 0; i < kConnections; ++i) {
    net::Result<net::Socket> client = net::Socket::tcp(AF_INET);
    ASSERT_THAT(client, IsOk());
    ASSERT_THAT(client->connect(listener->where), IsOk());
    net::Fd served(::accept4(listener->socket.fd(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(served.valid()) << "accept: " << std::strerror(errno);
    *client = net::Socket();
    served.reset();
  }
  ASSERT_GE(time_waits_on_port(listener->where.port()), std::size_t{kConnections});

  TableStats after;
  found = diag_bound_sockets({listener->inode}, &after);
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(found->size(), 1U);
  // The kernel answers with the machine's listening sockets alone. Other programs may open or
  // close a listener meanwhile, so the counts are compared within a margin 2000 rows exceed.
  EXPECT_LT(after.tcp_rows, 100U);
  EXPECT_LT(after.tcp_rows, before.tcp_rows + 50U);
}

// Sockets of every kind the lookup reports, and some it does not; their inodes.
struct Zoo {
  std::vector<Made> made;
  std::vector<net::Socket> others;
  std::set<std::uint64_t> inodes;
};

Zoo make_zoo() {
  Zoo z;
  const auto add = [&](scenario::Transport t, std::string_view host, bool listen = true) {
    if (std::optional<Made> m = make_socket(t, host, listen)) {
      z.inodes.insert(m->inode);
      z.made.push_back(std::move(*m));
    }
  };
  add(scenario::Transport::tcp, "127.0.0.1");
  add(scenario::Transport::tcp, "::1");
  add(scenario::Transport::tcp, "::");  // dual-stack: an IPv6 endpoint "::"
  add(scenario::Transport::tcp, "127.0.0.1", false);
  add(scenario::Transport::udp, "127.0.0.1");
  add(scenario::Transport::udp, "::1");
  add(scenario::Transport::udp, "::ffff:127.0.0.1");  // IPv4-mapped, on an IPv6 socket
  // A connected UDP socket is still bound.
  net::Result<net::Socket> connected = net::Socket::udp(AF_INET);
  if (connected && !z.made.empty() && connected->connect(z.made.front().where)) {
    z.inodes.insert(inode_of(*connected));
    z.others.push_back(std::move(*connected));
  }
  return z;
}

TEST(ProcBoundSockets, GivesTheSameAnswerAsDiag) {
  const Zoo zoo = make_zoo();
  net::Result<std::vector<BoundSocket>> diag = diag_bound_sockets(zoo.inodes);
  ASSERT_DIAG_OK(diag);
  TableStats stats;
  net::Result<std::vector<BoundSocket>> proc = proc_bound_sockets(zoo.inodes, &stats);
  ASSERT_THAT(proc, IsOk());
  EXPECT_THAT(described(*proc), UnorderedElementsAreArray(described(*diag)));
  EXPECT_GE(proc->size(), 3U);  // 127.0.0.1 TCP and UDP, the connected UDP socket
  EXPECT_GE(stats.tcp_rows, 1U);
  // The dual-stack socket on [::] is the IPv6 endpoint "::", as /proc/net/tcp6 shows it.
  for (const Made& m : zoo.made) {
    if (!m.where.is_wildcard()) continue;
    EXPECT_THAT(described(*proc), ::testing::Contains(fmt::format("tcp [::]:{}", m.where.port())));
  }
}

TEST(SocketsWithInodes, ReadsProcNetWhenNetlinkCannotBeOpened) {
  const Zoo zoo = make_zoo();
  net::Result<std::vector<BoundSocket>> proc = proc_bound_sockets(zoo.inodes);
  ASSERT_THAT(proc, IsOk());
  net::sys::Ops ops = net::sys::real_ops();
  ops.socket = [real = ops.socket](int domain, int type, int protocol) {
    if (domain != AF_NETLINK) return real(domain, type, protocol);
    errno = EAFNOSUPPORT;
    return -1;
  };
  const net::sys::ScopedOps scoped(ops);
  TableStats stats;
  net::Result<std::vector<BoundSocket>> found = sockets_with_inodes(zoo.inodes, &stats);
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(described(*found), UnorderedElementsAreArray(described(*proc)));
  EXPECT_EQ(stats.fallbacks, 4U);
}

// Ops whose netlink UDP requests are answered "No such file or directory", as when the
// udp_diag module is not loaded.
net::sys::Ops without_udp_diag() {
  constexpr std::size_t kHeader = sizeof(nlmsghdr);  // already NLMSG_ALIGNTO-aligned
  struct Last {
    nlmsghdr header{};
    bool udp = false;
  };
  auto last = std::make_shared<Last>();
  net::sys::Ops ops = net::sys::real_ops();
  ops.send = [real = ops.send, last](int fd, const void* buf, size_t len, int flags) {
    if (len >= kHeader + sizeof(inet_diag_req_v2)) {
      inet_diag_req_v2 req{};
      std::memcpy(&last->header, buf, sizeof last->header);
      std::memcpy(&req, static_cast<const char*>(buf) + kHeader, sizeof req);
      last->udp = req.sdiag_protocol == IPPROTO_UDP;
      if (last->udp) return static_cast<ssize_t>(len);  // the kernel never sees it
    }
    return real(fd, buf, len, flags);
  };
  ops.recv = [real = ops.recv, last](int fd, void* buf, size_t len, int flags) {
    if (!last->udp) return real(fd, buf, len, flags);
    nlmsghdr h{};
    h.nlmsg_len = static_cast<std::uint32_t>(kHeader + sizeof(nlmsgerr));
    h.nlmsg_type = NLMSG_ERROR;
    h.nlmsg_seq = last->header.nlmsg_seq;
    const nlmsgerr e{-ENOENT, last->header};
    std::memcpy(buf, &h, sizeof h);
    std::memcpy(static_cast<char*>(buf) + kHeader, &e, sizeof e);
    return static_cast<ssize_t>(h.nlmsg_len);
  };
  return ops;
}

TEST(SocketsWithInodes, ReadsProcNetForUdpAloneWhenUdpDiagIsMissing) {
  const Zoo zoo = make_zoo();
  net::Result<std::vector<BoundSocket>> proc = proc_bound_sockets(zoo.inodes);
  ASSERT_THAT(proc, IsOk());
  const net::sys::ScopedOps scoped(without_udp_diag());
  net::Result<std::vector<BoundSocket>> diag = diag_bound_sockets(zoo.inodes);
  EXPECT_THAT(diag, HasError("sock_diag udp: No such file or directory (ENOENT)"));
  TableStats stats;
  net::Result<std::vector<BoundSocket>> found = sockets_with_inodes(zoo.inodes, &stats);
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(described(*found), UnorderedElementsAreArray(described(*proc)));
  EXPECT_EQ(stats.fallbacks, 2U);  // udp and udp6; tcp and tcp6 came from sock_diag
}

TEST(SocketsWithInodes, NoAnswerIsAnErrorNotAFallback) {
  net::sys::Ops ops = net::sys::real_ops();
  ops.recv = [](int, void*, size_t, int) -> ssize_t {
    errno = EAGAIN;  // what SO_RCVTIMEO gives when it expires
    return -1;
  };
  const net::sys::ScopedOps scoped(ops);
  EXPECT_THAT(sockets_with_inodes({1}), HasError("sock_diag tcp: no answer within 2 s"));
}

TEST(SockDiagRefused, IsTheNotHereErrorsOnly) {
  EXPECT_TRUE(sock_diag_refused(ENOENT));
  EXPECT_TRUE(sock_diag_refused(EPROTONOSUPPORT));
  EXPECT_TRUE(sock_diag_refused(EACCES));
  EXPECT_FALSE(sock_diag_refused(ETIMEDOUT));
  EXPECT_FALSE(sock_diag_refused(0));
}

}  // namespace
}  // namespace sockspec::target
