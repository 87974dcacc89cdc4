// Binding and lifecycle: READY lines, one port for every socket, port clashes, restart,
// SIGTERM, and the command line (EPH-1..4, EPH-6, CON-6, exit codes of docs/architecture.md).
#include <gmock/gmock.h>
#include <signal.h>

#include <thread>

#include "targets/server/tests/server_fixture.hpp"

namespace sockspec::server::tests {
namespace {

using ::testing::HasSubstr;

class Lifecycle : public ServerTest {};

// Sends `payload`, half-closes and expects it back whole, then EOF.
::testing::AssertionResult echoes(const net::Endpoint& server, const std::string& payload) {
  auto socket = st::connect_tcp(server);
  if (!socket) return ::testing::AssertionFailure() << socket.error().message;
  if (!st::send_everything(*socket, payload) || !socket->shutdown_write()) {
    return ::testing::AssertionFailure() << "send to " << server.to_string() << " failed";
  }
  const auto got = st::read_until_eof(*socket, 5s);
  if (!got.eof) return ::testing::AssertionFailure() << "no EOF from " << server.to_string();
  return same_bytes(got.bytes, payload);
}

TEST_P(Lifecycle, ReadyLinesHaveTheExactFormatAndAKernelChosenPort) {  // EPH-1, ACC-1
  ASSERT_TRUE(start(launch("echo", "tcp,udp")));
  ASSERT_EQ(server().ready_lines.size(), 2u);
  const std::string host = ipv6() ? "\\[::1\\]" : "127\\.0\\.0\\.1";
  EXPECT_THAT(server().ready_lines[0],
              ::testing::MatchesRegex("READY tcp " + host + ":[1-9][0-9]*"));
  EXPECT_THAT(server().ready_lines[1],
              ::testing::MatchesRegex("READY udp " + host + ":[1-9][0-9]*"));
  EXPECT_NE(tcp().port(), 0);
  EXPECT_EQ(tcp().port(), udp().port()) << "EPH-6: TCP and UDP must share one port number";
  EXPECT_EQ(server().process.out().rfind("READY ", 0), 0u) << "nothing may precede READY";
  // Readiness is truthful: both transports answer right away.
  EXPECT_TRUE(echoes(tcp(), "ready?"));
  auto client = udp_client();
  ASSERT_TRUE(client.valid());
  const auto reply = st::udp_request(client, udp(), "ready?", 2s);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->payload, "ready?");
}

TEST_P(Lifecycle, TwoBindAddressesGetTheSamePortAndBothServe) {
  const std::vector<std::string> binds = ipv6()
                                             ? std::vector<std::string>{"::1", "127.0.0.1"}
                                             : std::vector<std::string>{"127.0.0.1", "127.0.0.2"};
  ASSERT_TRUE(start(launch("echo", "tcp,udp", binds)));
  ASSERT_EQ(server().tcp.size(), 2u);
  ASSERT_EQ(server().udp.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(binds[i]);
    EXPECT_EQ(server().tcp[i].host(), binds[i]);
    EXPECT_EQ(server().udp[i].host(), binds[i]);
    EXPECT_EQ(server().tcp[i].port(), tcp().port());
    EXPECT_EQ(server().udp[i].port(), tcp().port());
    EXPECT_TRUE(echoes(server().tcp[i], "hello " + binds[i]));
  }
}

TEST_P(Lifecycle, ServesOnlyWhereItIsBoundAndEverywhereOnTheWildcard) {  // EPH-5
  const auto second = second_local_address(ipv6());
  if (!second)
    GTEST_SKIP() << "needs a second local IPv6 address beside ::1 (docs/requirements.md)";
  ASSERT_TRUE(start(launch()));
  auto elsewhere = net::Endpoint::from_host(*second, tcp().port());
  ASSERT_TRUE(elsewhere);
  auto refused = st::connect_tcp(*elsewhere);
  EXPECT_FALSE(refused) << "bound to " << variant().host << ", yet " << elsewhere->to_string()
                        << " accepted";
  auto wildcard = start_server(
      server_argv(variant().model, launch("echo", "tcp", {ipv6() ? "::" : "0.0.0.0"})), 1);
  ASSERT_TRUE(wildcard) << wildcard.error().message;
  const auto port = wildcard->tcp.at(0).port();
  for (const std::string& host : {variant().host, *second}) {
    auto there = net::Endpoint::from_host(host, port);
    ASSERT_TRUE(there);
    EXPECT_TRUE(echoes(*there, "via " + host));
  }
  wildcard->process.signal(SIGTERM);
  const auto status = wildcard->process.wait(5s);
  EXPECT_TRUE(status && status->exited(0));
}

TEST_P(Lifecycle, TwoInstancesAtOnceGetDistinctPorts) {  // EPH-2
  ASSERT_TRUE(start(launch()));
  auto other =
      start_server(server_argv(variant().model, launch("echo", "tcp", {variant().host})), 1);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_NE(other->tcp.at(0).port(), tcp().port());
  EXPECT_TRUE(echoes(tcp(), "one"));
  EXPECT_TRUE(echoes(other->tcp.at(0), "two"));
  other->process.signal(SIGTERM);
  const auto status = other->process.wait(5s);
  EXPECT_TRUE(status && status->exited(0));
}

TEST_P(Lifecycle, SigtermWithAClientConnectedExitsZeroWithinTwoSeconds) {  // CON-6
  ASSERT_TRUE(start(launch()));
  auto client = connect();
  ASSERT_TRUE(client.valid());
  // One exchange, so the client is being served (not just waiting in the backlog).
  ASSERT_TRUE(st::send_everything(client, "busy"));
  ASSERT_EQ(st::read_exactly(client, 4, 5s).bytes, "busy");
  const auto t0 = SteadyClock::now();
  const auto status = stop(2s);
  ASSERT_TRUE(status) << "still running 2 s after SIGTERM";
  EXPECT_TRUE(status->exited(0)) << "code " << status->code << ", signal " << status->signal;
  EXPECT_LT(SteadyClock::now() - t0, 2s);
  // Nothing of the server's process group is left: children were stopped and reaped.
  std::vector<int> left = st::group_members(pid());
  for (int i = 0; i < 100 && !left.empty(); ++i) {
    std::this_thread::sleep_for(10ms);  // the kernel tears down exited children asynchronously
    left = st::group_members(pid());
  }
  EXPECT_THAT(left, ::testing::IsEmpty());
  // And the connection was closed, not left hanging.
  const auto rest = st::read_until_eof(client, 2s);
  EXPECT_TRUE(rest.eof || rest.reset);
}

TEST_P(Lifecycle, SigintStopsCleanlyToo) {  // CON-6
  ASSERT_TRUE(start(launch("echo", "tcp,udp")));
  server().process.signal(SIGINT);
  const auto status = server().process.wait(2s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->exited(0));
  (void)stop(0ms);  // already ended: only marks it stopped for TearDown
}

TEST_P(Lifecycle, PortHeldByAnotherProgramIsExitThreeNamingTheAddress) {  // EPH-4
  for (const std::string transport : {"tcp", "udp"}) {
    SCOPED_TRACE(transport);
    auto holder = transport == "tcp" ? net::Socket::tcp(ipv6() ? AF_INET6 : AF_INET)
                                     : net::Socket::udp(ipv6() ? AF_INET6 : AF_INET);
    ASSERT_TRUE(holder);
    auto here = net::Endpoint::from_host(variant().host, 0);
    ASSERT_TRUE(here);
    ASSERT_TRUE(holder->bind(*here));
    if (transport == "tcp") {
      ASSERT_TRUE(holder->listen(16));
    }
    auto held = holder->local_endpoint();
    ASSERT_TRUE(held);
    auto process = st::ChildProcess::start(
        server_argv(variant().model, launch("echo", transport, {variant().host}, held->port())));
    ASSERT_TRUE(process);
    const auto t0 = SteadyClock::now();
    const auto status = process->finish(2s);
    ASSERT_TRUE(status) << "still running 2 s after start";
    EXPECT_LT(SteadyClock::now() - t0, 2s);
    EXPECT_TRUE(status->exited(3)) << "code " << status->code << ", signal " << status->signal;
    EXPECT_THAT(process->err(), HasSubstr(held->to_string()));
    EXPECT_THAT(process->out(), ::testing::Not(HasSubstr("READY")));
  }
}

TEST_P(Lifecycle, RestartOnTheSamePortBindsAtOnceDespiteTimeWait) {  // EPH-3
  // daytime closes first, so the server's side of each connection ends in TIME_WAIT.
  ASSERT_TRUE(start(launch("daytime")));
  const std::uint16_t port = tcp().port();
  for (int i = 0; i < 5; ++i) {
    auto client = connect();
    ASSERT_TRUE(client.valid());
    ASSERT_TRUE(st::read_until_eof(client, 5s).eof);
  }
  auto lingering = connect();  // and one still open when the server stops
  ASSERT_TRUE(lingering.valid());
  const auto status = stop(5s);
  ASSERT_TRUE(status && status->exited(0));

  auto again = start_server(
      server_argv(variant().model, launch("echo", "tcp", {variant().host}, port)), 1, 5s);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->tcp.at(0).port(), port);
  EXPECT_TRUE(echoes(again->tcp.at(0), "back again"));
  again->process.signal(SIGTERM);
  const auto end = again->process.wait(5s);
  EXPECT_TRUE(end && end->exited(0));
}

INSTANTIATE_TEST_SUITE_P(Server, Lifecycle, ::testing::ValuesIn(all_variants()), variant_name);

// The command line, independent of model and family.
struct CliCase {
  const char* name;
  std::vector<std::string> args;
  int exit_code;
  const char* stderr_has;
};

void PrintTo(const CliCase& c, std::ostream* os) {
  *os << c.name;
}

class Cli : public ::testing::TestWithParam<CliCase> {};

TEST_P(Cli, ExitCodeAndMessage) {
  std::vector<std::string> argv = {st::program_path("sockspec-server")};
  argv.insert(argv.end(), GetParam().args.begin(), GetParam().args.end());
  auto process = st::ChildProcess::start(argv);
  ASSERT_TRUE(process);
  const auto status = process->finish(5s);
  ASSERT_TRUE(status) << "still running after 5 s";
  EXPECT_TRUE(status->exited(GetParam().exit_code))
      << "code " << status->code << ", signal " << status->signal << "\nstderr: " << process->err();
  const std::string where = GetParam().exit_code == 0 ? process->out() : process->err();
  EXPECT_THAT(where, HasSubstr(GetParam().stderr_has));
  if (GetParam().exit_code != 0) {
    EXPECT_EQ(process->out(), "") << "stdout is for READY only";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Server, Cli,
    ::testing::Values(CliCase{"UnknownModel", {"--model", "forking"}, 2, "Usage: sockspec-server"},
                      CliCase{"PortOutOfRange", {"--port", "70000"}, 2, "Usage: sockspec-server"},
                      CliCase{"NegativePort", {"--port", "-1"}, 2, "Usage: sockspec-server"},
                      CliCase{
                          "UnknownTransport", {"--transport", "sctp"}, 2, "Usage: sockspec-server"},
                      CliCase{"UnknownService", {"--service", "qotd"}, 2, "Usage: sockspec-server"},
                      CliCase{"UnknownFlag", {"--frobnicate"}, 2, "Usage: sockspec-server"},
                      CliCase{"NotAnAddress", {"--bind", "localhost"}, 2, "localhost"},
                      CliCase{"Help", {"--help"}, 0, "--model"}),
    [](const ::testing::TestParamInfo<CliCase>& c) { return std::string(c.param.name); });

}  // namespace
}  // namespace sockspec::server::tests
