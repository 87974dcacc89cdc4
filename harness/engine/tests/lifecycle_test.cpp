// Lifecycle, observation and client-role steps against the reference server and client, through
// their built-in profiles.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "harness/engine/case_runner.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/fd.hpp"

namespace sockspec::engine {
namespace {

using ::testing::HasSubstr;

target::Profile profile(const std::string& name) {
  auto p = target::load_profile_file(std::string(SOCKSPEC_PROFILE_DIR) + "/" + name + ".yaml");
  if (!p) ADD_FAILURE() << p.error().message;
  return p ? *p : target::Profile{};
}

CaseResult run(const std::string& yaml, const target::Profile& p,
               scenario::Family family = scenario::Family::ipv4) {
  auto s = scenario::load_scenario_text(yaml, "case.yaml");
  if (!s) {
    ADD_FAILURE() << s.error().message;
    return {};
  }
  const CaseSpec spec{&*s, &p, std::nullopt, family, std::getenv("SOCKSPEC_BIN_DIR")};
  return run_case(spec, -1).result;
}

// The stops below allow 10 s: these tests are about the steps, and a sanitizer build of the
// server under a loaded ctest once took over 2 s to exit (CON-6's 2 s is checked by the main job).
TEST(LifecycleSteps, InstancesEndpointsCensusRestartAndStop) {
  const target::Profile epoll = profile("reference-epoll");
  for (const auto family : {scenario::Family::ipv4, scenario::Family::ipv6}) {
    SCOPED_TRACE(family == scenario::Family::ipv6 ? "ipv6" : "ipv4");
    const CaseResult r = run(R"(id: t/lifecycle
summary: lifecycle steps
requirements: [EPH-2, EPH-3, ACC-6, CON-6]
needs: [tcp, echo]
steps:
  - start-instance: {as: second}
  - expect-endpoint: {non-zero: true, distinct-from: second, in-ephemeral-range: true}
  - census: {as: before}
  - repeat:
      count: 20
      steps:
        - connect: {}
        - send: {text: "{seq}\n"}
        - expect: {text: "{seq}\n"}
        - close: {}
  - expect-census: {baseline: before, fds: +2, threads: +0, children: +0, within: 1s}
  - restart: {}
  - connect: {}
  - send: {text: "again\n"}
  - expect: {text: "again\n"}
  - stop: {signal: TERM, within: 10s}
  - expect-exit: {code: 0}
  - expect-alive: {instance: second}
)",
                             epoll, family);
    EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  }
}

// A target that, when it gets SIGUSR1, makes the test's stop pipe readable: as if Ctrl-C came
// while a step waits for it to stop. It never stops by itself (it traps USR1).
struct InterruptOnCont {
  InterruptOnCont() {
    int fds[2] = {-1, -1};
    EXPECT_EQ(::pipe(fds), 0);
    read_end = net::Fd(fds[0]);
    write_end = net::Fd(fds[1]);
    auto p = target::load_profile_text(
        "name: interrupt-on-cont\n"
        "argv: [/bin/sh, -c, \"trap 'echo x > /proc/" +
            std::to_string(::getpid()) + "/fd/" + std::to_string(write_end.get()) +
            "' USR1; echo READY tcp 127.0.0.1:9; while :; do sleep 0.1; done\"]\n"
            "stop: {signal: USR1, timeout: 60s}\n",
        "interrupt-on-cont.yaml");
    if (!p) ADD_FAILURE() << p.error().message;
    if (p) profile = *p;
  }
  CaseRun run(const std::string& steps) {
    auto s = scenario::load_scenario_text(
        "id: t/interrupt\nsummary: an interrupted wait\n"
        "requirements: [CON-6]\nneeds: [tcp]\nsteps:\n" +
            steps,
        "case.yaml");
    if (!s) {
      ADD_FAILURE() << s.error().message;
      return {};
    }
    const CaseSpec spec{&*s, &profile, std::nullopt, scenario::Family::ipv4, "."};
    return run_case(spec, read_end.get());
  }
  net::Fd read_end;
  net::Fd write_end;
  target::Profile profile;
};

// Without the interrupt, each of these would wait out its 60 s and fail "still running".
TEST(LifecycleSteps, InterruptEndsAStopAtOnce) {
  InterruptOnCont target;
  const CaseRun r = target.run("  - stop: {signal: USR1, within: 60s}\n");
  EXPECT_TRUE(r.interrupted) << r.result.reason;
  EXPECT_EQ(r.result.verdict, Verdict::error);
}

TEST(LifecycleSteps, InterruptEndsARestartAtOnce) {
  InterruptOnCont target;
  const CaseRun r = target.run("  - restart: {}\n");
  EXPECT_TRUE(r.interrupted) << r.result.reason;
}

TEST(LifecycleSteps, ExpectExitFailsOnTheWrongCodeAndExpectAliveAfterAStop) {
  const target::Profile epoll = profile("reference-epoll");
  const CaseResult r = run(R"(id: t/exit
summary: a wrong exit expectation
requirements: [CON-6]
needs: [tcp]
steps:
  - stop: {signal: TERM, within: 10s}
  - expect-exit: {code: 3}
)",
                           epoll);
  ASSERT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.failure->expected, HasSubstr("exit with code 3"));
  EXPECT_EQ(r.failure->observed, "exited with code 0");
}

TEST(LifecycleSteps, StopByKillThenRestartOnAnotherPort) {
  const target::Profile epoll = profile("reference-epoll");
  const CaseResult r = run(R"(id: t/death
summary: the target dies during the case
requirements: [ACC-3]
needs: [tcp]
steps:
  - stop: {signal: KILL}
  - expect-exit: {signal: KILL}
  - restart: {same-port: false}
  - connect: {}
  - abort: {}
)",
                           epoll);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(LifecycleSteps, TheReferenceFailsToStartOnATakenPortAsEph4Wants) {
  const target::Profile epoll = profile("reference-epoll");
  for (const char* transport : {"tcp", "udp"}) {
    SCOPED_TRACE(transport);
    const CaseResult r =
        run(std::string("id: t/taken\nsummary: s\nrequirements: [EPH-4]\n") + "needs: [" +
                transport + ", echo]\nsteps:\n" + "  - expect-start-failure: {port: held}\n" +
                "  - expect-start-failure: {port: target}\n",
            epoll);
    EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
    // Found ready by a probe, the target answers probes of its own port: the second start must
    // still be judged by what the new process holds.
    target::Profile probed = epoll;
    probed.ready = std::string(transport) == "tcp" ? target::Readiness::tcp_probe
                                                   : target::Readiness::udp_probe;
    probed.port = target::PortPolicy::pick;
    const CaseResult p =
        run(std::string("id: t/taken\nsummary: s\nrequirements: [EPH-4]\n") + "needs: [" +
                transport + ", echo]\nsteps:\n" + "  - expect-start-failure: {port: target}\n",
            probed);
    EXPECT_EQ(p.verdict, Verdict::pass) << p.reason;
  }
}

TEST(LifecycleSteps, ExpectStartFailureSaysHowAStartDidNotFailAsItMust) {
  const std::string scenario =
      "id: t/taken\nsummary: s\nrequirements: [EPH-4]\nneeds: [tcp]\nsteps:\n"
      "  - expect-start-failure: {port: held, within: 500ms}\n";
  const auto with_argv = [](const std::string& argv) {
    auto p =
        target::load_profile_text("name: p\nargv: " + argv + "\nready: ready-line\n", "p.yaml");
    if (!p) ADD_FAILURE() << p.error().message;
    return p ? *p : target::Profile{};
  };
  // The first start (the case's target) must succeed: each program serves on port 0 when asked
  // for 0, and misbehaves only when given a port.
  const std::string server = std::string(std::getenv("SOCKSPEC_BIN_DIR")) + "/sockspec-server";
  const auto shell = [&](const std::string& when_given_a_port) {
    return with_argv("[\"/bin/sh\", \"-c\", \"if [ $0 = 0 ]; then exec " + server +
                     " --model epoll --service echo --transport tcp --bind 127.0.0.1 --port 0; "
                     "fi; " +
                     when_given_a_port + "\", \"{port}\"]");
  };
  struct Case {
    std::string program;
    std::string observed;
  } cases[] = {
      {"exec " + server + " --model epoll --service echo --transport tcp --bind 127.0.0.1 --port 0",
       "still running; it reported READY tcp 127.0.0.1:"},  // on a port of its own
      {"sleep 3", "still running after 500ms, never ready"},
      {"echo cannot bind >&2; exit 1",
       "exited with code 1, but its message does not name the port"},
      {"echo bind port $0 is taken >&2; exit 0", "exited with code 0"},
      {"kill -SEGV $$", "killed by SIGSEGV"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.program);
    const CaseResult r = run(scenario, shell(c.program));
    ASSERT_EQ(r.verdict, Verdict::fail) << r.reason;
    EXPECT_THAT(r.failure->observed, HasSubstr(c.observed));
  }
  const CaseResult ok = run(scenario, shell("echo bind port $0 is in use >&2; exit 1"));
  EXPECT_EQ(ok.verdict, Verdict::pass) << ok.reason;
}

TEST(LifecycleSteps, OnAskedAddressTellsALoopbackBindFromAWildcardOne) {
  const std::string scenario =
      "id: t/addr\nsummary: s\nrequirements: [EPH-5]\nneeds: [tcp]\nsteps:\n"
      "  - expect-endpoint: {on-asked-address: true}\n";
  EXPECT_EQ(run(scenario, profile("reference-epoll")).verdict, Verdict::pass);
  // Asked for 127.0.0.1 ({host}), it binds the wildcard and says so on its READY line.
  auto wildcard = target::load_profile_text(
      "name: any\nargv: [\"{bindir}/sockspec-server\", \"--model\", \"epoll\", \"--service\", "
      "\"echo\", \"--transport\", \"tcp\", \"--bind\", \"0.0.0.0\", \"--port\", \"{port}\"]\n",
      "p.yaml");
  ASSERT_TRUE(wildcard) << wildcard.error().message;
  const CaseResult r = run(scenario, *wildcard);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_THAT(r.failure->observed, HasSubstr("bound to 0.0.0.0:"));
  EXPECT_THAT(r.failure->observed, HasSubstr("it serves every local address"));
}

// A profile whose argv is a shell that does not `exec`, with a job of its own: the census counts
// the server below it (no children), not the shell (the sleep and the server).
TEST(LifecycleSteps, TheCensusCountsTheServerUnderAWrapperShell) {
  auto wrapper = target::load_profile_text(
      "name: wrapped\nargv: [/bin/sh, -c, 'sleep 30 & {bindir}/sockspec-server --model epoll "
      "--service echo --transport tcp --bind {host} --port {port}; wait']\n",
      "wrapped.yaml");
  ASSERT_TRUE(wrapper) << wrapper.error().message;
  const CaseResult r = run(R"(id: t/census
summary: a census under a wrapper shell
requirements: [ACC-6]
needs: [tcp]
steps:
  - census: {as: before}
  - expect-census: {baseline: before, children: +0, within: 0s}
)",
                           *wrapper);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  bool counted_server = false;
  for (const TranscriptEntry& e : r.transcript) {
    counted_server =
        counted_server || (e.text.find("census 'before': ") == 0 &&
                           e.text.find(", 0 children (0 zombies)") != std::string::npos);
  }
  EXPECT_TRUE(counted_server);
}

TEST(LifecycleSteps, ExpectCensusChecksCpuTime) {
  // A target that spins once ready. It must burn more than 20 ms of CPU in the 1 s wait: under
  // a load of 40 on 2 cores it still got 4% of a core (a 300 ms wait and +50ms failed there).
  auto p = target::load_profile_text(
      "name: spin\nargv: [\"/bin/sh\", \"-c\", \"echo READY udp 127.0.0.1:9; while :; do :; "
      "done\"]\n",
      "p.yaml");
  ASSERT_TRUE(p) << p.error().message;
  const CaseResult r = run(R"(id: t/cpu
summary: cpu
requirements: [STR-6]
needs: [udp]
steps:
  - census: {as: before}
  - bind: {}
  - expect-no-datagram: {for: 1s}
  - expect-census: {baseline: before, cpu: +20ms, rss: +64MiB, within: 0s}
)",
                           *p);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_THAT(r.failure->expected, HasSubstr("+20ms CPU +64MiB resident"));
  EXPECT_THAT(r.failure->observed, HasSubstr("ms CPU"));
}

TEST(SharedTarget, ConsecutiveSharedCasesReuseOneLiveTarget) {
  const target::Profile epoll = profile("reference-epoll");
  auto s = scenario::load_scenario_text(R"(id: t/shared
summary: a shared target
requirements: [SVC-1]
needs: [tcp, echo]
target: {service: echo, shared: true}
steps:
  - connect: {}
  - send: {text: "x"}
  - expect: {text: "x"}
)",
                                        "case.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const CaseSpec spec{&*s, &epoll, std::nullopt, scenario::Family::ipv4,
                      std::getenv("SOCKSPEC_BIN_DIR")};
  SharedTarget shared;
  EXPECT_EQ(run_case(spec, -1, &shared).result.verdict, Verdict::pass);
  ASSERT_TRUE(shared.instance.has_value());
  const pid_t first = shared.instance->pid();
  const CaseResult again = run_case(spec, -1, &shared).result;
  EXPECT_EQ(again.verdict, Verdict::pass) << again.reason;
  ASSERT_TRUE(shared.instance.has_value());
  EXPECT_EQ(shared.instance->pid(), first);
  // Once it is gone, the next case starts a fresh one.
  shared.instance->signal(SIGKILL);
  (void)shared.instance->wait(std::chrono::seconds(2));
  EXPECT_EQ(run_case(spec, -1, &shared).result.verdict, Verdict::pass);
  ASSERT_TRUE(shared.instance.has_value());
  EXPECT_NE(shared.instance->pid(), first);
}

TEST(TargetBind, AWildcardBoundServerIsReachedOnLoopbackAndOnASecondAddress) {
  const target::Profile epoll = profile("reference-epoll");
  const CaseResult r = run(R"(id: t/wildcard
summary: the server binds the wildcard
requirements: [DGR-2]
needs: [udp, echo]
families: [ipv4]
target: {service: echo, bind: wildcard}
steps:
  - bind: {}
  - send-to: {text: "to loopback"}
  - expect-datagram: {text: "to loopback", from: "127.0.0.1:{target.port}"}
  - send-to: {to: "127.0.0.2:{target.port}", text: "to 127.0.0.2"}
  - expect-datagram: {text: "to 127.0.0.2", from: "127.0.0.2:{target.port}"}
)",
                           epoll);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  EXPECT_THAT(r.command, HasSubstr("--bind 0.0.0.0"));
}

TEST(ClientSteps, ReplyInPiecesIsPrintedWhole) {
  const target::Profile client = profile("reference-client");
  for (const auto family : {scenario::Family::ipv4, scenario::Family::ipv6}) {
    auto s = scenario::load_scenario_file(SOCKSPEC_SCENARIO_TESTDATA "/cli_reply_in_pieces.yaml");
    ASSERT_TRUE(s.ok()) << s.error().message;
    const CaseSpec spec{&*s, &client, std::nullopt, family, std::getenv("SOCKSPEC_BIN_DIR")};
    const CaseResult r = run_case(spec, -1).result;
    EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  }
}

TEST(ClientSteps, ASilentServerMakesTheClientTimeOut) {
  const target::Profile client = profile("reference-client");
  const std::string yaml = R"(id: t/silent
summary: a server that never answers
requirements: [CLI-4]
needs: [tcp]
role: client
steps:
  - listen: {transport: tcp}
  - run-client: {args: ["--timeout", "300ms"], stdin: {text: "hello\n"}}
  - accept: {}
  - expect: {text: "hello\n"}
  - expect-client: {exit: EXIT, within: 2s}
)";
  const auto with_exit = [&](const std::string& code) {
    std::string y = yaml;
    y.replace(y.find("EXIT"), 4, code);
    return run(y, client);
  };
  const CaseResult timed_out = with_exit("4");
  EXPECT_EQ(timed_out.verdict, Verdict::pass) << timed_out.reason;
  const CaseResult wrong = with_exit("0");
  ASSERT_EQ(wrong.verdict, Verdict::fail);
  EXPECT_EQ(wrong.failure->observed, "exited with code 4");
}

TEST(ClientSteps, UdpReplyFromAnotherPortIsIgnoredByTheClient) {
  const target::Profile client = profile("reference-client");
  const CaseResult r = run(R"(id: t/udp-wrong-source
summary: a reply from a wrong port is ignored
requirements: [CLI-5]
needs: [udp]
role: client
families: [ipv4]
steps:
  - listen: {transport: udp}
  - run-client: {args: ["--timeout", "500ms"], stdin: {text: "ping"}}
  - expect-datagram: {on: l, text: "ping", from: any}
  - reply: {on: l, text: "forged", from: "127.0.0.1:0"}
  - expect-client: {exit: 4, within: 2s}
)",
                           client);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

// A server that serves 3 clients at once (the reference server's --max-clients 3): 5 clients
// that meet at a barrier find it out, unless the profile declares max-clients: 3, which holds it
// to 3 clients.
TEST(BarrierSteps, ASilentCapFailsAtTheBarrierAndADeclaredOneIsHeldToItsWord) {
  target::Profile capped = profile("reference-epoll");
  capped.argv.insert(capped.argv.end(), {"--max-clients", "3"});
  const std::string yaml = R"(id: t/barrier
summary: clients meet at a barrier
requirements: [CON-2]
needs: [tcp, echo]
families: [ipv4]
steps:
  - parallel:
      clients: 5
      steps:
        - connect: {}
        - send: {text: "client {client}\n"}
        - expect: {same-as-sent: true, within: 1s}
        - barrier: {within: 10s}
        - close: {}
)";
  const CaseResult silent = run(yaml, capped);
  ASSERT_EQ(silent.verdict, Verdict::fail) << silent.reason;
  EXPECT_THAT(silent.failure->observed, HasSubstr("only 0 of"));
  EXPECT_THAT(silent.failure->detail, HasSubstr("barrier: 3 of 5 clients had reached it"));
  capped.max_clients = 3;
  const CaseResult declared = run(yaml, capped);
  EXPECT_EQ(declared.verdict, Verdict::pass) << declared.reason;
  EXPECT_TRUE(std::any_of(declared.transcript.begin(), declared.transcript.end(),
                          [](const TranscriptEntry& e) {
                            return e.text.find("parallel: 3 clients, not 5") != std::string::npos;
                          }));
}

// A wait at a barrier that runs out (here at once: within 0s) fails with who arrived and who not;
// the other client, released by it, is not what the block reports.
TEST(BarrierSteps, AWaitThatRunsOutSaysHowManyArrived) {
  const CaseResult r = run(R"(id: t/barrier-timeout
summary: a barrier nobody can meet in time
requirements: [CON-2]
needs: [tcp, echo]
families: [ipv4]
steps:
  - parallel:
      clients: 2
      steps:
        - barrier: {within: 0s}
)",
                           profile("reference-epoll"));
  ASSERT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_EQ(r.failure->step, "barrier");
  EXPECT_THAT(r.failure->observed,
              HasSubstr("1 of 2 clients arrived within 0s; not there: client "));
  EXPECT_EQ(r.failure->expected, "all 2 clients of the parallel block at the barrier within 0s");
}

}  // namespace
}  // namespace sockspec::engine
