// ListenerPoll and for_each_datagram over real loopback listeners.
#include "targets/server/listener_poll.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "targets/net/fd.hpp"

namespace sockspec::server {
namespace {

// Listeners on 127.0.0.1 (TCP and UDP), a stop pipe on SIGUSR1 and an echo service.
class ListenerPollTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.udp = true;
    auto opened = open_listeners(options);
    ASSERT_TRUE(opened) << opened.error().message;
    listeners_.emplace(std::move(*opened));
    auto stop = net::SignalPipe::install({SIGUSR1});
    ASSERT_TRUE(stop);
    stop_.emplace(std::move(*stop));
    int fds[2] = {-1, -1};
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    wake_read_.reset(fds[0]);
    wake_write_.reset(fds[1]);
    ctx_.emplace(ServerContext{*listeners_, *service_, *stop_, 4});
  }

  void send_udp(const std::string& payload) {
    auto client = net::Socket::udp(AF_INET);
    ASSERT_TRUE(client);
    ASSERT_TRUE(net::send_datagram(*client, std::as_bytes(std::span(payload)),
                                   listeners_->ready_entries().at(1).endpoint));
  }

  std::unique_ptr<proto::Service> service_ = proto::make_service("echo");
  std::optional<Listeners> listeners_;
  std::optional<net::SignalPipe> stop_;
  net::Fd wake_read_;
  net::Fd wake_write_;
  std::optional<ServerContext> ctx_;
};

TEST_F(ListenerPollTest, StopIsReportedAloneAndWins) {
  auto client = net::Socket::tcp(AF_INET);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->connect(listeners_->ready_entries().at(0).endpoint));
  stop_->raise_now();
  ListenerPoll poll(*ctx_, wake_read_.get());
  auto ready = poll.wait(true);
  ASSERT_TRUE(ready);
  EXPECT_TRUE(ready->stop);
  EXPECT_TRUE(ready->tcp.empty());
}

TEST_F(ListenerPollTest, ReportsTheListenersThatAreReady) {
  auto client = net::Socket::tcp(AF_INET);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->connect(listeners_->ready_entries().at(0).endpoint));
  ListenerPoll poll(*ctx_, wake_read_.get());
  auto ready = poll.wait(true);
  ASSERT_TRUE(ready);
  EXPECT_FALSE(ready->stop);
  EXPECT_FALSE(ready->wake);
  ASSERT_EQ(ready->tcp.size(), 1u);
  EXPECT_EQ(ready->tcp[0], &listeners_->tcp[0]);
  EXPECT_TRUE(ready->udp.empty());

  send_udp("x");
  auto accepted = ready->tcp[0]->accept(true);
  ASSERT_TRUE(accepted && *accepted);
  ready = poll.wait(true);
  ASSERT_TRUE(ready);
  EXPECT_TRUE(ready->tcp.empty());
  ASSERT_EQ(ready->udp.size(), 1u);
  EXPECT_EQ(ready->udp[0], &listeners_->udp[0]);
}

TEST_F(ListenerPollTest, NotAcceptingLeavesListenersOutButSeesTheWakeUp) {
  auto client = net::Socket::tcp(AF_INET);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->connect(listeners_->ready_entries().at(0).endpoint));
  const char byte = 1;
  ASSERT_EQ(::write(wake_write_.get(), &byte, 1), 1);
  ListenerPoll poll(*ctx_, wake_read_.get());
  auto ready = poll.wait(false);
  ASSERT_TRUE(ready);
  EXPECT_TRUE(ready->wake);
  EXPECT_TRUE(ready->tcp.empty()) << "a waiting client stays in the backlog while full";
}

TEST_F(ListenerPollTest, ForEachDatagramTakesAtMostABatch) {
  for (int i = 0; i < 5; ++i) send_udp(std::to_string(i));
  // Loopback queues each datagram on the receiver during sendmsg(): all five are waiting.
  ListenerPoll poll(*ctx_);
  ASSERT_TRUE(poll.wait(true));
  std::vector<std::string> seen;
  auto record = [&](net::Datagram d) { seen.emplace_back(proto::as_chars(d.payload)); };
  for_each_datagram(listeners_->udp[0], record, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2"}));
  for_each_datagram(listeners_->udp[0], record, 64);
  EXPECT_EQ(seen.size(), 5u) << "the rest, then EAGAIN ends the batch";
  for_each_datagram(listeners_->udp[0], record, 64);
  EXPECT_EQ(seen.size(), 5u);
}

}  // namespace
}  // namespace sockspec::server
