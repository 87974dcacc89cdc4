// Tests of Acceptor: real loopback accepts, errno classification, and the EMFILE spare descriptor.
#include "targets/net/acceptor.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::net {

namespace {

using sockspec::testing::IsOk;
using std::chrono::milliseconds;

constexpr milliseconds kBound{5000};  // a bound on every wait that should end at once

// A non-blocking listening TCP socket on `host`, port chosen by the kernel.
Socket listening_on(const char* host) {
  auto where = Endpoint::from_host(host, 0);
  EXPECT_TRUE(where.ok());
  if (!where.ok()) return {};
  auto s = Socket::tcp(where->family());
  EXPECT_THAT(s, IsOk());
  if (!s.ok()) return {};
  const Status bound = s->bind(*where);
  EXPECT_THAT(bound, IsOk());
  EXPECT_TRUE(s->set_nonblocking(true).ok());
  EXPECT_TRUE(s->listen(16).ok());
  return std::move(*s);
}

Endpoint local_of(const Socket& s) {
  auto e = s.local_endpoint();
  EXPECT_THAT(e, IsOk());
  return e.ok() ? *e : Endpoint();
}

// A client connected (blocking connect) to `where`.
Socket connected_to(const Endpoint& where) {
  auto s = Socket::tcp(where.family());
  EXPECT_THAT(s, IsOk());
  if (!s.ok()) return {};
  const Status connected = s->connect(where);
  EXPECT_THAT(connected, IsOk());
  return std::move(*s);
}

// True when the peer closed or reset `client`'s connection within the bound.
bool sees_close(const Socket& client) {
  if (wait_for(client.fd(), POLLIN, -1, kBound).outcome != WaitOutcome::kReady) return false;
  std::byte byte{};
  const IoOutcome o = recv_some(client.fd(), std::span(&byte, 1)).outcome;
  return o == IoOutcome::kEof || o == IoOutcome::kReset;
}

bool pending(const Acceptor& acceptor) {
  return wait_for(acceptor.fd(), POLLIN, -1, kBound).outcome == WaitOutcome::kReady;
}

TEST(Acceptor, ReportsTheClientsOwnAddressAndPort) {
  struct Case {
    const char* host;
    bool nonblocking;
  };
  const Case cases[] = {{"127.0.0.1", false}, {"127.0.0.1", true}, {"::1", false}, {"::1", true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.host << (c.nonblocking ? " non-blocking" : " blocking"));
    Acceptor acceptor(listening_on(c.host));
    ASSERT_TRUE(acceptor.socket().valid());
    const Socket client = connected_to(local_of(acceptor.socket()));
    ASSERT_TRUE(pending(acceptor));
    auto accepted = acceptor.accept(c.nonblocking);
    ASSERT_THAT(accepted, IsOk());
    ASSERT_TRUE(accepted->has_value());
    Accepted& a = **accepted;
    // ACC-5: what accept returned is the client's own address and port, not the listener's.
    EXPECT_EQ(a.peer, local_of(client));
    EXPECT_EQ(a.peer.host(), c.host);
    EXPECT_NE(a.peer.port(), local_of(acceptor.socket()).port());
    auto peer_seen = a.socket.peer_endpoint();
    ASSERT_TRUE(peer_seen.ok());
    EXPECT_EQ(*peer_seen, a.peer);
    const int fd_flags = sys::ops().fcntl(a.socket.fd(), F_GETFD, 0);
    EXPECT_NE(fd_flags & FD_CLOEXEC, 0) << "accepted socket must be close-on-exec";
    const int fl_flags = sys::ops().fcntl(a.socket.fd(), F_GETFL, 0);
    EXPECT_EQ((fl_flags & O_NONBLOCK) != 0, c.nonblocking);
  }
}

TEST(Acceptor, NothingPendingIsNullopt) {
  Acceptor acceptor(listening_on("127.0.0.1"));
  auto accepted = acceptor.accept(true);
  ASSERT_THAT(accepted, IsOk());
  EXPECT_FALSE(accepted->has_value());
}

TEST(Acceptor, TransientErrorsAreNullopt) {
  Acceptor acceptor(listening_on("127.0.0.1"));
  for (const int error : {EAGAIN, EINTR, ECONNABORTED, EPROTO, EPERM, ENETUNREACH}) {
    SCOPED_TRACE(strerrorname_np(error));
    int calls = 0;
    sys::Ops ops = sys::real_ops();
    ops.accept4 = [&calls, error](int, sockaddr*, socklen_t*, int) {
      ++calls;
      errno = error;
      return -1;
    };
    const sys::ScopedOps scoped(ops);
    auto accepted = acceptor.accept(true);
    ASSERT_THAT(accepted, IsOk());
    EXPECT_FALSE(accepted->has_value());
    EXPECT_EQ(calls, 1) << "no retry, no spare-descriptor dance";
  }
}

TEST(Acceptor, ProgrammingErrorsAreErrors) {
  Acceptor acceptor(listening_on("127.0.0.1"));
  struct Case {
    int error;
    const char* message;
  };
  const Case cases[] = {
      {EBADF, "accept: Bad file descriptor (EBADF)"},
      {EINVAL, "accept: Invalid argument (EINVAL)"},
      {ENOTSOCK, "accept: Socket operation on non-socket (ENOTSOCK)"},
      {ENOBUFS, "accept: No buffer space available (ENOBUFS)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    sys::Ops ops = sys::real_ops();
    ops.accept4 = [error = c.error](int, sockaddr*, socklen_t*, int) {
      errno = error;
      return -1;
    };
    const sys::ScopedOps scoped(ops);
    auto accepted = acceptor.accept(true);
    ASSERT_FALSE(accepted.ok());
    EXPECT_EQ(accepted.error().message, c.message);
    EXPECT_EQ(accepted.error().code, c.error);
  }
}

TEST(Acceptor, InvalidListenerIsAnError) {
  Acceptor acceptor{Socket()};
  auto accepted = acceptor.accept(true);
  ASSERT_FALSE(accepted.ok());
  EXPECT_EQ(accepted.error().message, "accept: Bad file descriptor (EBADF)");
}

TEST(Acceptor, OutOfDescriptorsDropsThePendingClientThenRecovers) {
  for (const int error : {EMFILE, ENFILE}) {
    SCOPED_TRACE(strerrorname_np(error));
    Acceptor acceptor(listening_on("127.0.0.1"));
    const Endpoint where = local_of(acceptor.socket());
    const Socket doomed = connected_to(where);
    ASSERT_TRUE(pending(acceptor));

    std::vector<int> accept_fds;
    sys::Ops ops = sys::real_ops();
    const auto real_accept4 = ops.accept4;
    ops.accept4 = [&, error](int fd, sockaddr* addr, socklen_t* len, int flags) {
      accept_fds.push_back(fd);
      if (accept_fds.size() == 1) {
        errno = error;
        return -1;
      }
      return real_accept4(fd, addr, len, flags);
    };
    {
      const sys::ScopedOps scoped(ops);
      auto dropped = acceptor.accept(true);
      ASSERT_THAT(dropped, IsOk());
      EXPECT_FALSE(dropped->has_value());
    }
    EXPECT_THAT(accept_fds, ::testing::ElementsAre(acceptor.fd(), acceptor.fd()));
    EXPECT_TRUE(sees_close(doomed)) << "the client that could not be served must be closed";

    // Normal service resumes.
    const Socket next = connected_to(where);
    ASSERT_TRUE(pending(acceptor));
    auto accepted = acceptor.accept(true);
    ASSERT_THAT(accepted, IsOk());
    ASSERT_TRUE(accepted->has_value());
    EXPECT_EQ((*accepted)->peer, local_of(next));
  }
}

// Lowers RLIMIT_NOFILE and fills the descriptor table; restores both when destroyed.
class ExhaustedDescriptors {
 public:
  explicit ExhaustedDescriptors(int template_fd) {
    EXPECT_EQ(::getrlimit(RLIMIT_NOFILE, &saved_), 0);
    rlimit lowered = saved_;
    lowered.rlim_cur = 128;
    EXPECT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
    for (;;) {
      const int fd = sys::ops().fcntl(template_fd, F_DUPFD_CLOEXEC, 0);
      if (fd < 0) {
        EXPECT_EQ(errno, EMFILE);
        break;
      }
      fillers_.emplace_back(fd);
    }
  }
  ~ExhaustedDescriptors() {
    fillers_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  ExhaustedDescriptors(const ExhaustedDescriptors&) = delete;
  ExhaustedDescriptors& operator=(const ExhaustedDescriptors&) = delete;

 private:
  rlimit saved_{};
  std::vector<Fd> fillers_;
};

TEST(Acceptor, KeepsItsSpareAcrossRealDescriptorExhaustion) {
  // Every accept() while the table is full must drop one pending client, however many times:
  // a client left pending keeps the listener readable and the server spinning. This needs the
  // spare to be re-taken with the single descriptor that dropping the client freed.
  Acceptor acceptor(listening_on("127.0.0.1"));
  const Endpoint where = local_of(acceptor.socket());
  std::vector<Socket> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(connected_to(where));
  ASSERT_TRUE(pending(acceptor));
  // While the table is full, nothing but the accepts runs: gtest's messages and the
  // sanitizers' checks (UBSan's vptr check opens a pipe) need descriptors too.
  std::vector<std::string> errors;
  std::vector<bool> got_connection;
  errors.reserve(clients.size());
  got_connection.reserve(clients.size());
  {
    const ExhaustedDescriptors full(acceptor.fd());
    for (std::size_t i = 0; i < clients.size(); ++i) {
      auto accepted = acceptor.accept(true);
      errors.push_back(accepted ? std::string() : accepted.error().message);
      got_connection.push_back(accepted && accepted->has_value());
    }
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "accept " << i);
    EXPECT_EQ(errors[i], "");
    EXPECT_FALSE(got_connection[i]) << "a descriptor was free: the spare was lost";
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "client " << i);
    EXPECT_TRUE(sees_close(clients[i]));
  }
  const Socket next = connected_to(where);
  ASSERT_TRUE(pending(acceptor));
  auto accepted = acceptor.accept(true);
  ASSERT_THAT(accepted, IsOk());
  ASSERT_TRUE(accepted->has_value());
  EXPECT_EQ((*accepted)->peer, local_of(next));
}

}  // namespace
}  // namespace sockspec::net
