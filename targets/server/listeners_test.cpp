// open_listeners: one port for every socket, errors naming the address, READY order.
#include "targets/server/listeners.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>

namespace sockspec::server {
namespace {

using ::testing::HasSubstr;

ServerOptions options_for(std::vector<std::string> binds, bool tcp, bool udp,
                          std::uint16_t port = 0) {
  ServerOptions o;
  o.bind = std::move(binds);
  o.tcp = tcp;
  o.udp = udp;
  o.port = port;
  return o;
}

TEST(OpenListeners, EverySocketSharesTheKernelChosenPort) {  // EPH-1, EPH-6
  auto listeners = open_listeners(options_for({"127.0.0.1", "::1"}, true, true));
  ASSERT_TRUE(listeners) << listeners.error().message;
  const auto entries = listeners->ready_entries();
  ASSERT_EQ(entries.size(), 4u);
  const std::uint16_t port = entries[0].endpoint.port();
  EXPECT_NE(port, 0);
  // TCP first, each in --bind order.
  const char* transports[] = {"tcp", "tcp", "udp", "udp"};
  const char* hosts[] = {"127.0.0.1", "::1", "127.0.0.1", "::1"};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(entries[i].transport, transports[i]);
    EXPECT_EQ(entries[i].endpoint.host(), hosts[i]);
    EXPECT_EQ(entries[i].endpoint.port(), port);
  }
}

TEST(OpenListeners, AnExplicitPortInUseIsAnErrorNamingTheAddress) {  // EPH-4
  auto holder = net::Socket::tcp(AF_INET);
  ASSERT_TRUE(holder);
  auto any = net::Endpoint::from_host("127.0.0.1", 0);
  ASSERT_TRUE(any);
  ASSERT_TRUE(holder->bind(*any));
  ASSERT_TRUE(holder->listen(4));
  auto held = holder->local_endpoint();
  ASSERT_TRUE(held);
  auto listeners = open_listeners(options_for({"127.0.0.1"}, true, false, held->port()));
  ASSERT_FALSE(listeners);
  EXPECT_EQ(listeners.error().code, EADDRINUSE);
  EXPECT_THAT(listeners.error().message, HasSubstr("bind " + held->to_string()));
}

TEST(OpenListeners, UdpNeverSharesAPortWithAnotherSocket) {  // EPH-4: no SO_REUSEADDR on UDP
  auto first = open_listeners(options_for({"127.0.0.1"}, false, true));
  ASSERT_TRUE(first);
  const auto port = first->ready_entries().at(0).endpoint.port();
  auto second = open_listeners(options_for({"127.0.0.1"}, false, true, port));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, EADDRINUSE);
}

TEST(OpenListeners, ABadAddressIsAnError) {
  auto listeners = open_listeners(options_for({"localhost"}, true, false));
  ASSERT_FALSE(listeners);
  EXPECT_THAT(listeners.error().message, HasSubstr("localhost"));
}

TEST(Listeners, CloseAllExceptKeepsOnlyThatUdpSocket) {
  auto listeners = open_listeners(options_for({"127.0.0.1", "::1"}, true, true));
  ASSERT_TRUE(listeners);
  const int keep = listeners->udp[1].fd();
  const net::Socket* kept = &listeners->udp[1];
  listeners->close_all_except(keep);
  EXPECT_TRUE(listeners->tcp.empty());
  ASSERT_EQ(listeners->udp.size(), 2u) << "in place: pointers to the kept socket stay valid";
  EXPECT_FALSE(listeners->udp[0].valid());
  EXPECT_EQ(&listeners->udp[1], kept);
  EXPECT_EQ(kept->fd(), keep);
}

}  // namespace
}  // namespace sockspec::server
