// The `sockspec` binary end to end: exit codes, console output and reports, against the
// reference server and against targets that crash, hang, never become ready or flood.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/target/containment.hpp"
#include "targets/testing/child_process.hpp"

namespace sockspec {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;
using std::chrono::seconds;

const std::string kData = SOCKSPEC_CLI_TESTDATA;

// A temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sockspec-cli-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A profile for the misbehaving target in `mode`; `token` marks its processes in /proc.
std::string misbehaving_profile(const TempDir& dir, const std::string& mode,
                                const std::string& start_timeout = "1s") {
  const std::string path = dir.file(mode + ".yaml");
  std::ofstream(path) << "name: misbehaving-" << mode << "\n"
                      << "argv: [\"{bindir}/misbehaving_target\", \"" << mode
                      << "\", \"{host}\", \"" << dir.path() << "\"]\n"
                      << "capabilities: [tcp, ipv4, echo, lifecycle]\n"
                      << "start-timeout: " << start_timeout << "\n";
  return path;
}

std::string reference_profile(const TempDir& dir) {
  const std::string path = dir.file("reference.yaml");
  std::ofstream(path) << "name: reference-epoll\n"
                      << "argv: [\"{bindir}/sockspec-server\", --model, epoll, --service, "
                         "\"{service}\", --transport, \"{transports}\", --bind, \"{host}\", "
                         "--port, \"{port}\"]\n"
                      << "capabilities: [tcp, udp, ipv4, ipv6, echo, lifecycle]\n";
  return path;
}

// The first 4 KiB of a /proc file (a plain read: /proc files have no size).
std::string read_small_file(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  return text;
}

// Processes whose command line mentions `token` (the temp dir of one test).
int processes_with(const std::string& token) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string text = read_small_file(entry.path() / "cmdline");
    if (text.find(token) != std::string::npos &&
        text.find("misbehaving_target") != std::string::npos) {
      ++count;
    }
  }
  return count;
}

testing::RunResult sockspec(std::vector<std::string> args) {
  args.insert(args.begin(), testing::program_path("sockspec"));
  auto r = testing::run(std::move(args), {}, seconds(60));
  if (r.ok()) return std::move(r).value();
  ADD_FAILURE() << r.error().message;
  return {};
}

TEST(Cli, ReferenceServerPassesAndTheSummaryCountsCases) {
  TempDir dir;
  const auto r = sockspec({"run", kData + "/echo.yaml", "--target", reference_profile(dir)});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 passed, 0 failed, 0 skipped"));
}

TEST(Cli, FamilyRunsTheCasesOfThatFamilyOnly) {
  TempDir dir;
  const auto r = sockspec(
      {"run", kData + "/echo.yaml", "--target", reference_profile(dir), "--family", "ipv6"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 passed, 0 failed, 0 skipped"));
  EXPECT_THAT(r.out, HasSubstr("ipv6]"));
  EXPECT_THAT(r.out, Not(HasSubstr("ipv4]")));
}

TEST(Cli, CrashingTargetFailsWithTheSignalAndItsStderr) {
  TempDir dir;
  const auto r =
      sockspec({"run", kData + "/echo.yaml", "--target", misbehaving_profile(dir, "crash")});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("killed by SIGABRT"));
  EXPECT_THAT(r.out, HasSubstr("about to crash"));
  EXPECT_THAT(r.out, HasSubstr("echo.yaml:"));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

TEST(Cli, HangingTargetFailsInBoundedTimeAndIsKilled) {
  TempDir dir;
  const auto r =
      sockspec({"run", kData + "/echo.yaml", "--target", misbehaving_profile(dir, "hang")});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("nothing more within 500ms"));
  EXPECT_LT(r.elapsed, seconds(10));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

TEST(Cli, TargetThatNeverBecomesReadyIsAnError) {
  TempDir dir;
  const auto r = sockspec(
      {"run", kData + "/echo.yaml", "--target", misbehaving_profile(dir, "never-ready", "300ms")});
  EXPECT_TRUE(r.status.exited(3)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("not ready within"));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

TEST(Cli, FloodingTargetNeitherBlocksNorBreaksTheRun) {
  TempDir dir;
  const auto r =
      sockspec({"run", kData + "/echo.yaml", "--target", misbehaving_profile(dir, "flood")});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 passed"));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

TEST(Cli, InterruptTearsDownAndWritesPartialReports) {
  TempDir dir;
  auto child = testing::ChildProcess::start(
      {testing::program_path("sockspec"), "run", kData + "/stalled.yaml", "--target",
       misbehaving_profile(dir, "hang"), "--json", dir.file("r.json")});
  ASSERT_TRUE(child.ok());
  // The case runs once the target process exists.
  const auto until = std::chrono::steady_clock::now() + seconds(10);
  while (processes_with(dir.path()) == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  child->signal(SIGINT);
  const auto status = child->finish(std::chrono::milliseconds(5000));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited(130)) << child->out() << child->err();
  EXPECT_THAT(child->out(), HasSubstr("interrupted"));
  EXPECT_TRUE(fs::exists(dir.file("r.json")));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

// The pid in DIR/daemon.pid once the daemon of misbehaving_target wrote it (hang guard: 20 s).
pid_t daemon_pid(const TempDir& dir) {
  const auto until = std::chrono::steady_clock::now() + seconds(20);
  for (pid_t pid = 0; std::chrono::steady_clock::now() < until;) {
    if (std::ifstream(dir.file("daemon.pid")) >> pid) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

// Waits until no process of `dir`'s target is left, at most 20 s (a hang guard, not a bound).
int processes_left_after(const TempDir& dir) {
  const auto until = std::chrono::steady_clock::now() + seconds(20);
  while (processes_with(dir.path()) != 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return processes_with(dir.path());
}

TEST(Cli, InterruptDuringTheTargetsStartEndsAtOnce) {
  TempDir dir;
  // Never ready, and a start timeout longer than the wait below: only the interrupt ends it.
  auto child = testing::ChildProcess::start(
      {testing::program_path("sockspec"), "run", kData + "/echo.yaml", "--target",
       misbehaving_profile(dir, "never-ready", "60s"), "--json", dir.file("r.json")});
  ASSERT_TRUE(child.ok());
  const auto until = std::chrono::steady_clock::now() + seconds(10);
  while (processes_with(dir.path()) == 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(processes_with(dir.path()), 1);
  child->signal(SIGINT);
  const auto status = child->finish(std::chrono::milliseconds(20000));
  ASSERT_TRUE(status.has_value()) << "still waiting for the start timeout";
  EXPECT_TRUE(status->exited(130)) << child->out() << child->err();
  EXPECT_THAT(child->out(), HasSubstr("interrupted"));
  EXPECT_THAT(child->out(), Not(HasSubstr("not ready within")));
  EXPECT_TRUE(fs::exists(dir.file("r.json")));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

TEST(Cli, DaemonLeftAfterTheStopFailsTheCaseAndIsKilled) {
  if (!target::cgroups_available()) GTEST_SKIP() << target::containment_description();
  TempDir dir;
  const auto r =
      sockspec({"run", kData + "/echo.yaml", "--target", misbehaving_profile(dir, "daemon")});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("expected nothing left running after the target's stop"));
  EXPECT_THAT(r.out, HasSubstr("(misbehaving_tar) was still running and held 127.0.0.1:"));
  EXPECT_THAT(r.out, HasSubstr("listening (tcp)"));
  EXPECT_EQ(processes_with(dir.path()), 0);
}

TEST(Cli, SigkillOfSockspecLeavesNoTargetProcess) {
  if (!target::cgroups_available()) GTEST_SKIP() << target::containment_description();
  TempDir dir;
  auto child = testing::ChildProcess::start({testing::program_path("sockspec"), "run",
                                             kData + "/stalled.yaml", "--target",
                                             misbehaving_profile(dir, "daemon-hang")});
  ASSERT_TRUE(child.ok());
  const pid_t daemon = daemon_pid(dir);
  ASSERT_GT(daemon, 0) << child->out() << child->err();
  child->signal(SIGKILL);  // mid-case: the scenario waits 30 s for a reply
  const auto ended = child->finish(std::chrono::milliseconds(20000));
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->signal, SIGKILL);
  // The target's main process dies with sockspec's thread (PDEATHSIG); the daemon, in another
  // session and a grandchild, only by the keeper of sockspec's cgroups.
  EXPECT_EQ(processes_left_after(dir), 0);
}

TEST(Cli, ReportsAreWritten) {
  TempDir dir;
  const auto r = sockspec({"run", kData + "/echo.yaml", "--target", reference_profile(dir),
                           "--junit", dir.file("r.xml"), "--json", dir.file("r.json"), "--html",
                           dir.file("r.html"), "-j", "2"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  for (const char* name : {"r.xml", "r.json", "r.html"}) {
    SCOPED_TRACE(name);
    EXPECT_GT(fs::file_size(dir.file(name)), 100U);
  }
}

// A profile whose target crashes on its first start and serves echo on its second (a file in
// `dir` remembers which start is next): a case that fails, then passes.
std::string flipping_profile(const TempDir& dir) {
  const std::string path = dir.file("flip.yaml");
  std::ofstream(path)
      << "name: flip\n"
      << "argv: [sh, -c, 'if [ -e \"$4/flipped\" ]; then rm \"$4/flipped\"; exec "
         "\"$1/sockspec-server\" --model epoll --service echo --transport tcp --bind \"$2\" "
         "--port \"$3\"; else touch \"$4/flipped\"; exec \"$1/misbehaving_target\" crash "
         "\"$2\" \"$4\"; fi', flip, '{bindir}', '{host}', '{port}', '"
      << dir.path() << "']\n"
      << "capabilities: [tcp, ipv4, echo, lifecycle]\n";
  return path;
}

// Stability mode end to end: the case's two runs differ, so it is flaky in the console (with
// the failing run's diagnostic), in every report, and the exit code is 1.
TEST(Cli, RepeatReportsACaseWhoseVerdictsDifferAsFlakyEverywhere) {
  TempDir dir;
  const auto r =
      sockspec({"run", kData + "/echo.yaml", "--target", flipping_profile(dir), "--repeat", "2",
                "-j", "1", "--timings", "none", "--junit", dir.file("r.xml"), "--json",
                dir.file("r.json"), "--html", dir.file("r.html")});
  EXPECT_TRUE(r.status.exited(1)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("FLAKY test/echo [flip, ipv4]: verdicts differ over 2 runs: "));
  EXPECT_THAT(r.out, HasSubstr("killed by SIGABRT"));
  EXPECT_THAT(r.out, HasSubstr("0 passed, 0 failed, 1 skipped, 1 flaky in "));
  std::ifstream json(dir.file("r.json"));
  const std::string json_text{std::istreambuf_iterator<char>(json), {}};
  EXPECT_THAT(json_text, HasSubstr("\"flaky\": true"));
  std::ifstream junit(dir.file("r.xml"));
  const std::string junit_text{std::istreambuf_iterator<char>(junit), {}};
  EXPECT_THAT(junit_text, HasSubstr("type=\"flaky\""));
  std::ifstream html(dir.file("r.html"));
  const std::string html_text{std::istreambuf_iterator<char>(html), {}};
  EXPECT_THAT(html_text, HasSubstr("<td class=\"v-flaky problem\">"));
}

TEST(Cli, UsageErrorsExitTwoWithOneLine) {
  TempDir dir;
  const std::string echo = kData + "/echo.yaml";
  const std::string target = reference_profile(dir);
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"run", echo}, "no target"},
      {{"run", echo, "--target", target, "--id", "nothing*"}, "no scenario selected"},
      {{"run", echo, "--target", "no-such-profile"}, "no built-in profile of that name"},
      {{"run", echo, "--target", target, "--shard", "3/2"}, "bad --shard"},
      {{"run", echo, "--frobnicate"}, "frobnicate"},
      {{"run", kData + "/bad.yaml.txt", "--target", target},
       "bad.yaml.txt:4:1: unknown key 'stepz'"},
      {{"run", echo, "--connect", "localhost"}, "--connect"},
      {{"validate", kData + "/nothing-here"}, "no such file or folder"},
      // Before any case runs (a folder given as a report used to fail after the whole run).
      {{"run", echo, "--target", target, "--json", dir.path()},
       "--json: write " + dir.path() + ": a folder, not a file"},
      {{"fuzz", "--target", target, "--time", "1s", "--json", dir.path()},
       "--json: write " + dir.path() + ": a folder, not a file"},
      {{"run", echo, "--target", target, "--junit", dir.file("no/such/folder.xml")},
       "--junit: write " + dir.file("no/such/folder.xml") + ": No such file or directory"},
      {{"run", echo, "--cmd", "x {port}", "--service", "ecko"},
       "--service: unknown service 'ecko': expected one of echo, discard, daytime, chargen, "
       "line (did you mean 'echo'?)"},
      {{"run", echo, "--cmd", "x {port}", "--capability", "concurent"},
       "--capability: unknown capability 'concurent' (did you mean 'concurrent'?)"},
      {{"run", echo, "--cmd", "x {port}", "--exchange", "PING\\n"},
       "--exchange needs --expect REGEX or --expect-hex BYTES"},
      {{"run", echo, "--cmd", "x {port}", "--exchange", "P", "--expect", "("},
       "--expect: bad regex"},
      {{"run", echo, "--target", target, "--verify=3", "--repeat", "5"},
       "--verify=3 and --repeat 5: give the number of runs once"},
      {{"run", echo, "--target", target, "--repeat", "0"}, "--repeat"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    const auto r = sockspec(c.args);
    EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
}

// The server's own protocol on the command line: the reference server's `line` service, through
// --exchange and --expect, passes the exchange scenarios; declares nothing else (no echo case
// runs); a wrong --expect is said once, before the run, and its cases are errors.
TEST(Cli, OneLineExchangeRunsTheExchangeScenariosOnly) {
  const std::string server = testing::program_path("sockspec-server") +
                             " --model epoll --service line --bind {host} --port {port}";
  const std::string pack = SOCKSPEC_PACK_DIR;
  const auto good = sockspec({"run", pack, "--cmd", server, "--exchange", "PING\\n", "--expect",
                              "\\+PONG\\r\\n", "--id", "*keeps-accepting*", "-q"});
  EXPECT_TRUE(good.status.exited(0)) << good.out << good.err;
  // The echo and line versions, the closing one and IPv6 (not declared) skip.
  EXPECT_THAT(good.out, HasSubstr("1 passed, 0 failed, 7 skipped"));
  const auto bad = sockspec({"run", pack, "--cmd", server, "--exchange", "PING\\n", "--expect",
                             "\\+PANG", "--id", "exchange/acc/*", "-q"});
  EXPECT_TRUE(bad.status.exited(3)) << bad.out << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("target 'cmd': its exchange 'cli' over tcp does not work "
                                 "(--exchange:1:1): expected the reply to exchange 'cli'"));
  EXPECT_THAT(bad.err, HasSubstr("\"+PONG\\r\\n\""));
  EXPECT_THAT(bad.out, HasSubstr("(said once, before the run)"));
  EXPECT_THAT(bad.out, Not(HasSubstr("PONG")));
}

TEST(Cli, AUserPackDeclaresItsOwnRequirements) {
  TempDir dir;
  const std::string pack = kData + "/own-requirements";
  const auto v = sockspec({"validate", pack});
  EXPECT_TRUE(v.status.exited(0)) << v.err;
  EXPECT_THAT(v.out, HasSubstr("1 scenario"));
  const auto l = sockspec({"list", "--requirements", pack});
  EXPECT_TRUE(l.status.exited(0)) << l.err;
  EXPECT_THAT(l.out, HasSubstr("GREET-2"));
  EXPECT_THAT(l.out, HasSubstr("SHOULD"));
  const auto r = sockspec({"run", pack, "--target", reference_profile(dir), "-r", "GREET-1"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 passed, 0 failed"));
  // Without its table, the same scenario names unknown requirements.
  const auto alone = sockspec({"validate", pack + "/greeting.yaml"});
  EXPECT_TRUE(alone.status.exited(2)) << alone.out;
  EXPECT_THAT(alone.err, HasSubstr("unknown requirement 'GREET-1'"));
}

TEST(Cli, ValidateListAndShow) {
  const auto v = sockspec({"validate", kData + "/echo.yaml", kData + "/stalled.yaml"});
  EXPECT_TRUE(v.status.exited(0)) << v.err;
  EXPECT_THAT(v.out, HasSubstr("2 scenarios"));
  const auto l = sockspec({"list", kData + "/echo.yaml", kData + "/stalled.yaml", "--id", "*echo"});
  EXPECT_TRUE(l.status.exited(0)) << l.err;
  EXPECT_THAT(l.out, HasSubstr("test/echo"));
  EXPECT_THAT(l.out, Not(HasSubstr("test/stalled")));
  const auto r = sockspec({"list", "--requirements", kData + "/echo.yaml"});
  EXPECT_TRUE(r.status.exited(0)) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("STR-3   MUST    server tcp                   1 scenario (echo 1)\n"));
  EXPECT_THAT(r.out, HasSubstr("STR-8   SHOULD  server tcp                   0 scenarios\n"));
  const auto s = sockspec({"show", kData + "/echo.yaml"});
  EXPECT_TRUE(s.status.exited(0)) << s.err;
  EXPECT_THAT(s.out, HasSubstr("id: test/echo"));
}

// file: data that leads out of the scenario's folder is refused (exit 2) unless --data-root
// allows where it leads.
TEST(Cli, DataOutsideTheScenariosFolderNeedsDataRoot) {
  const TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  fs::create_directories(dir.file("pack"));
  std::ofstream(dir.file("secret.bin")) << "secret";
  std::ofstream(dir.file("pack/t.yaml"))
      << "id: t/escape\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n"
         "  - connect: {}\n  - send: {file: ../secret.bin}\n";
  const auto refused = sockspec({"validate", dir.file("pack/t.yaml")});
  EXPECT_TRUE(refused.status.exited(2)) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("t.yaml:7:18: '"));
  EXPECT_THAT(refused.err, HasSubstr("secret.bin' is outside the scenario's folder"));
  const auto allowed = sockspec({"validate", dir.file("pack/t.yaml"), "--data-root", dir.path()});
  EXPECT_TRUE(allowed.status.exited(0)) << allowed.err;
  const auto listed = sockspec({"list", dir.file("pack/t.yaml"), "--data-root", dir.path()});
  EXPECT_TRUE(listed.status.exited(0)) << listed.err;
}

// `sockspec run | head -n 1`: once head has gone, the next console line meets EPIPE; the run
// stops quietly (no error on stderr), writes its file reports and exits 141, as git and grep do.
TEST(Cli, AConsoleReaderThatWentAwayEndsTheRunQuietlyWithItsFileReports) {
  TempDir dir;
  // Every line after the first meets EPIPE once head is gone; the last (the case failing after
  // 500 ms) comes long after.
  const std::string script =
      "\"$0\" run \"$1\" --target \"$2\" --json \"$3\" 2>\"$4\" | head -n 1 >/dev/null; "
      "exit \"${PIPESTATUS[0]}\"";
  auto r = testing::run(
      {"/bin/bash", "-c", script, testing::program_path("sockspec"), kData + "/echo.yaml",
       misbehaving_profile(dir, "hang"), dir.file("r.json"), dir.file("stderr")},
      {}, seconds(60));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->status.exited(141)) << r->out << r->err;
  std::ifstream err(dir.file("stderr"));
  const std::string err_text((std::istreambuf_iterator<char>(err)), {});
  EXPECT_EQ(err_text, "");
  EXPECT_TRUE(fs::exists(dir.file("r.json")));
  EXPECT_GT(fs::file_size(dir.file("r.json")), 0U);
  EXPECT_EQ(processes_left_after(dir), 0);
}
}  // namespace
}  // namespace sockspec
