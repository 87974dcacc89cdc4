// The census counts the server, not a wrapper shell around it: a profile whose argv is a shell
// that does not `exec` (here with a job of its own) is counted from the process that holds the
// server's socket, and that process's children alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "harness/target/instance.hpp"
#include "harness/target/observe.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::IsOk;

Profile wrapper(const std::string& script) {
  net::Result<Profile> p = load_profile_text(
      "name: w\nargv: [/bin/sh, -c, '" + script + "']\nstart-timeout: 10s\n", "w.yaml");
  EXPECT_THAT(p, IsOk());
  return p ? *p : Profile{};
}

LaunchVars tcp_ipv4() {
  LaunchVars v;
  const char* bin = std::getenv("SOCKSPEC_BIN_DIR");
  v.bindir = bin != nullptr ? bin : ".";
  v.service = "echo";
  v.transports = {scenario::Transport::tcp};
  v.family = scenario::Family::ipv4;
  return v;
}

constexpr const char* kServer =
    "{bindir}/sockspec-server --model epoll --service {service} --transport tcp --bind {host} "
    "--port {port}";

TEST(ServerProcess, IsTheServerUnderAShellThatDoesNotExec) {
  // The shell keeps a job of its own (sleep) and waits for the server: two children.
  net::Result<Instance> i =
      Instance::start(wrapper(std::string("sleep 30 & ") + kServer + "; wait"), tcp_ipv4());
  ASSERT_THAT(i, IsOk());
  const pid_t server = server_process(i->pid(), i->sockets());
  EXPECT_NE(server, i->pid());
  net::Result<Census> shell = take_census(i->pid());
  net::Result<Census> counted = take_census(server);
  ASSERT_THAT(shell, IsOk());
  ASSERT_THAT(counted, IsOk());
  EXPECT_EQ(shell->children, 2U);    // what ACC-6 and CON-3 counted before
  EXPECT_EQ(counted->children, 0U);  // the epoll server has none
}

TEST(ServerProcess, IsTheProgramItselfWhenTheWrapperExecs) {
  net::Result<Instance> i = Instance::start(wrapper(std::string("exec ") + kServer), tcp_ipv4());
  ASSERT_THAT(i, IsOk());
  EXPECT_EQ(server_process(i->pid(), i->sockets()), i->pid());
}

}  // namespace
}  // namespace sockspec::target
