// Tests of the /proc observers against the test process itself.
#include "harness/target/observe.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include "targets/net/socket.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::HasSubstr;

TEST(TakeCensus, CountsThreadsOfThisProcess) {
  net::Result<Census> before = take_census(::getpid());
  ASSERT_THAT(before, IsOk());
  EXPECT_GE(before->threads, 1U);
  std::latch started(1);
  std::latch done(1);
  std::jthread t([&] {
    started.count_down();
    done.wait();
  });
  started.wait();
  net::Result<Census> during = take_census(::getpid());
  done.count_down();
  t.join();
  // join() returns when the thread has signalled its end; the kernel may list it a moment more.
  net::Result<Census> after = take_census(::getpid());
  for (int i = 0; i < 100 && after && during && after->threads >= during->threads; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    after = take_census(::getpid());
  }
  ASSERT_THAT(during, IsOk());
  ASSERT_THAT(after, IsOk());
  // A sanitizer runtime may start a thread of its own on the first thread we start: the count
  // rises by at least one, and falls by exactly one when ours ends.
  EXPECT_GE(during->threads, before->threads + 1);
  EXPECT_EQ(after->threads, during->threads - 1);
}

TEST(TakeCensus, CountsDescriptorsOfThisProcess) {
  net::Result<Census> before = take_census(::getpid());
  ASSERT_THAT(before, IsOk());
  net::Result<net::Socket> s = net::Socket::tcp(AF_INET);
  ASSERT_THAT(s, IsOk());
  net::Result<Census> after = take_census(::getpid());
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->fds, before->fds + 1);
  EXPECT_EQ(after->children, before->children);
}

TEST(TakeCensus, MeasuresCpuTimeAndResidentMemory) {
  net::Result<Census> before = take_census(::getpid());
  ASSERT_THAT(before, IsOk());
  EXPECT_GT(before->rss, 1024U * 1024U);  // a test binary with gtest loaded
  // Burn 200 ms of this process's own CPU time (not of wall time: under load a wall-clock loop
  // gets less CPU than it lasts), and touch 32 MiB. The wall-time cap only bounds the loop.
  std::vector<char> memory(32U << 20U, 1);
  volatile std::uint64_t sink = 0;
  const auto cpu_now = [] {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
  };
  const auto cpu_start = cpu_now();
  const auto cap = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (cpu_now() - cpu_start < std::chrono::milliseconds(200) &&
         std::chrono::steady_clock::now() < cap) {
    sink = sink + 1;
  }
  net::Result<Census> after = take_census(::getpid());
  ASSERT_THAT(after, IsOk());
  EXPECT_GE(after->cpu - before->cpu, std::chrono::milliseconds(150));
  EXPECT_GE(after->rss, before->rss + (24U << 20U));
  EXPECT_EQ(memory[12345], 1);
}

TEST(TakeCensus, UnknownProcessIsAnError) {
  EXPECT_THAT(take_census(999999999), HasError(HasSubstr("/proc/999999999/fd")));
}

TEST(BoundSockets, FindsAListeningTcpAndABoundUdpSocketOfThisGroup) {
  net::Result<net::Socket> tcp = net::Socket::tcp(AF_INET6);
  ASSERT_THAT(tcp, IsOk());
  ASSERT_THAT(tcp->bind(*net::Endpoint::parse("[::1]:0")), IsOk());
  net::Result<net::Endpoint> tcp_where = tcp->local_endpoint();
  ASSERT_THAT(tcp_where, IsOk());
  net::Result<net::Socket> udp = net::Socket::udp(AF_INET);
  ASSERT_THAT(udp, IsOk());
  ASSERT_THAT(udp->bind(*net::Endpoint::parse("127.0.0.1:0")), IsOk());
  net::Result<net::Endpoint> udp_where = udp->local_endpoint();
  ASSERT_THAT(udp_where, IsOk());

  const auto has = [](const std::vector<BoundSocket>& v, scenario::Transport t,
                      const net::Endpoint& e) {
    return std::any_of(v.begin(), v.end(),
                       [&](const BoundSocket& b) { return b.transport == t && b.endpoint == e; });
  };
  net::Result<std::vector<BoundSocket>> found = bound_sockets(::getpgrp());
  ASSERT_THAT(found, IsOk());
  EXPECT_FALSE(has(*found, scenario::Transport::tcp, *tcp_where)) << "bound, not listening yet";
  EXPECT_TRUE(has(*found, scenario::Transport::udp, *udp_where));

  ASSERT_THAT(tcp->listen(8), IsOk());
  found = bound_sockets(::getpgrp());
  ASSERT_THAT(found, IsOk());
  EXPECT_TRUE(has(*found, scenario::Transport::tcp, *tcp_where));
}

TEST(BoundSockets, EmptyGroupIsAnError) {
  EXPECT_THAT(bound_sockets(999999999), HasError("no process in process group 999999999"));
}

TEST(EphemeralPortRange, IsReadFromProc) {
  net::Result<PortRange> r = ephemeral_port_range();
  ASSERT_THAT(r, IsOk());
  EXPECT_LT(r->low, r->high);
  EXPECT_GE(r->low, 1024);
}

}  // namespace
}  // namespace sockspec::target
