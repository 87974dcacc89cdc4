// Readiness waits for every socket the case's transports need, on the asked port: a probe's other
// transport is looked for in /proc, `proc` ignores sockets on other ports or in the other family,
// and a socket that never appears is named, with what was there instead. The targets are shell
// wrappers that start the reference server late, or on the wrong port first.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "harness/target/instance.hpp"
#include "harness/target/observe.hpp"
#include "targets/net/socket.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using scenario::Family;
using scenario::Transport;
using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::HasSubstr;

// The reference echo server over `transport`, on `port` ("{port}" or "0").
std::string server(const std::string& transport, const std::string& port) {
  return "{bindir}/sockspec-server --model epoll --service echo --transport " + transport +
         " --bind {host} --port " + port;
}

Profile wrapper(const std::string& script, const std::string& extra) {
  net::Result<Profile> p = load_profile_text(
      "name: w\nargv: [/bin/sh, -c, '" + script + "']\nport: pick\n" + extra, "w.yaml");
  EXPECT_THAT(p, IsOk());
  return p ? *p : Profile{};
}

// A port free for TCP and UDP on 127.0.0.1 when asked (the kernel's pick, then closed).
std::uint16_t free_port() {
  net::Result<net::Socket> s = net::Socket::tcp(AF_INET);
  EXPECT_THAT(s, IsOk());
  EXPECT_THAT(s->bind(*net::Endpoint::from_host("127.0.0.1", 0)), IsOk());
  return s->local_endpoint()->port();
}

LaunchVars dual(std::uint16_t port) {
  LaunchVars v;
  const char* bin = std::getenv("SOCKSPEC_BIN_DIR");
  v.bindir = bin != nullptr ? bin : ".";
  v.transports = {Transport::tcp, Transport::udp};
  v.family = Family::ipv4;
  v.port = port;
  return v;
}

bool holds_udp_on(const Instance& i, std::uint16_t port) {
  net::Result<std::vector<BoundSocket>> found = bound_sockets(i.pid());
  if (!found) return false;
  for (const BoundSocket& b : *found) {
    if (b.transport == Transport::udp && b.endpoint.port() == port) return true;
  }
  return false;
}

// TCP listens at once, UDP is bound 300 ms later: a TCP probe alone would call it ready
// before the UDP cases can reach it.
TEST(Readiness, ATcpProbeWaitsForTheUdpSocketToo) {
  const std::uint16_t port = free_port();
  net::Result<Instance> i = Instance::start(
      wrapper(server("tcp", "{port}") + " & sleep 0.3; exec " + server("udp", "{port}"),
              "ready: tcp-probe\nstart-timeout: 10s\n"),
      dual(port));
  ASSERT_THAT(i, IsOk());
  EXPECT_TRUE(holds_udp_on(*i, port));
}

TEST(Readiness, AUdpSocketThatNeverAppearsIsNamedWithWhatWasThere) {
  const std::uint16_t port = free_port();
  const std::string where = "127.0.0.1:" + std::to_string(port);
  EXPECT_THAT(Instance::start(
                  wrapper("exec " + server("tcp", "{port}"), "ready: proc\nstart-timeout: 300ms\n"),
                  dual(port)),
              HasError(HasSubstr("not ready within 300ms (proc: no UDP socket bound on " + where +
                                 " by the target's processes; TCP " + where + " was listening)")));
  EXPECT_THAT(
      Instance::start(
          wrapper("exec " + server("tcp", "{port}"), "ready: tcp-probe\nstart-timeout: 300ms\n"),
          dual(port)),
      HasError(HasSubstr("(tcp-probe: TCP " + where + " answered; no UDP socket bound on " + where +
                         " by the target's processes; TCP " + where + " was listening)")));
}

// An IPv6 case of a server that binds IPv4 only: its socket is not the one the case needs.
TEST(Readiness, ProcWantsTheCasesFamily) {
  const std::uint16_t port = free_port();
  LaunchVars v = dual(port);
  v.transports = {Transport::tcp};
  v.family = Family::ipv6;
  const std::string script =
      "exec {bindir}/sockspec-server --model epoll --service echo "
      "--transport tcp --bind 127.0.0.1 --port {port}";
  EXPECT_THAT(Instance::start(wrapper(script, "ready: proc\nstart-timeout: 300ms\n"), v),
              HasError(HasSubstr("(proc: no TCP socket listening on [::1]:" + std::to_string(port) +
                                 " by the target's processes; elsewhere: TCP 127.0.0.1:" +
                                 std::to_string(port) + ")")));
}

// An IPv4 case of a server on the IPv6 wildcard: a dual-stack socket serves IPv4 too.
TEST(Readiness, AnIpv4CaseTakesTheIpv6Wildcard) {
  const std::uint16_t port = free_port();
  LaunchVars v = dual(port);
  v.transports = {Transport::tcp};
  const std::string script =
      "exec {bindir}/sockspec-server --model epoll --service echo "
      "--transport tcp --bind :: --port {port}";
  EXPECT_THAT(Instance::start(wrapper(script, "ready: proc\nstart-timeout: 10s\n"), v), IsOk());
}

// First a server on a port of its own (another service of the target), the asked one 300 ms
// later: `proc` must not take the first socket it sees.
TEST(Readiness, ProcWaitsForTheAskedPortNotTheFirstSocket) {
  const std::uint16_t port = free_port();
  LaunchVars v = dual(port);
  v.transports = {Transport::tcp};
  net::Result<Instance> i =
      Instance::start(wrapper(server("tcp", "0") + " & sleep 0.3; exec " + server("tcp", "{port}"),
                              "ready: proc\nstart-timeout: 10s\n"),
                      v);
  ASSERT_THAT(i, IsOk());
  ASSERT_FALSE(i->sockets().empty());
  for (const BoundSocket& b : i->sockets()) EXPECT_EQ(b.endpoint.port(), port);
}

}  // namespace
}  // namespace sockspec::target
