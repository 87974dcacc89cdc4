// Tests of the launcher: pipes, environment, signal state, exec errors, floods and cleanup.
#include "harness/target/process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <thread>

#include "targets/testing/net_printers.hpp"
#include "targets/testing/temp_dir.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// True once `pid` no longer exists or is a zombie nobody of ours will reap (reparented).
bool gone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    const auto close = text.rfind(')');
    if (close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z')
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

std::string run_to_end(const TargetCommand& c, std::string stdin_data = {}) {
  net::Result<Process> p = Process::start(c, std::move(stdin_data));
  EXPECT_THAT(p, IsOk());
  if (!p) return {};
  const std::optional<ExitStatus> status = p->wait(10s);
  EXPECT_EQ(status, (ExitStatus{0, 0}));
  EXPECT_TRUE(p->wait_drained(5s));
  return p->stdout_text();
}

TEST(Process, FeedsStdinAndCapturesStdout) {
  EXPECT_EQ(run_to_end({{"cat"}, {}}, "abc\ndef"), "abc\ndef");
  EXPECT_EQ(run_to_end({{"cat"}, {}}), "");  // /dev/null
}

TEST(Process, LargeStdinIsFedWhileStdoutIsDrained) {
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(run_to_end({{"wc", "-c"}, {}}, big), "1048576\n");
}

TEST(Process, AddsEnvironment) {
  EXPECT_EQ(run_to_end({{"sh", "-c", "printf %s \"$FOO\""}, {{"FOO", "bar baz"}}}), "bar baz");
}

TEST(Process, StartsWithDefaultSignalStateAndNoInheritedDescriptors) {
  ::signal(SIGPIPE, SIG_IGN);  // as a harness would: the target must not inherit it (STR-5)
  const std::string out = run_to_end({{"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"}, {}});
  EXPECT_EQ(out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
  // A descriptor the harness forgot to mark close-on-exec does not leak either: ls sees 0, 1, 2
  // and the directory it reads.
  net::Fd leaky(::dup(STDERR_FILENO));
  ASSERT_TRUE(leaky.valid());
  EXPECT_EQ(run_to_end({{"ls", "/proc/self/fd"}, {}}), "0\n1\n2\n3\n");
}

TEST(Process, ReportsExitCodeAndSignal) {
  net::Result<Process> p = Process::start({{"sh", "-c", "exit 3"}, {}});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->wait(10s), (ExitStatus{3, 0}));
  EXPECT_EQ(p->exit_status()->describe(), "exited with code 3");
  p = Process::start({{"sleep", "30"}, {}});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->exit_status(), std::nullopt);
  EXPECT_EQ(p->wait(20ms), std::nullopt);
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(10s), (ExitStatus{-1, SIGTERM}));
  EXPECT_EQ(p->exit_status()->describe(), "killed by SIGTERM");
}

TEST(Process, ExecErrorsNameTheProgram) {
  EXPECT_THAT(Process::start({{"/nonexistent/prog"}, {}}),
              HasError("cannot run '/nonexistent/prog': No such file or directory (ENOENT)"));
  EXPECT_THAT(Process::start({{"no-such-program-sockspec"}, {}}),
              HasError("cannot run 'no-such-program-sockspec': not found in PATH"));
  const sockspec::testing::TempDir dir;
  const std::string path = dir.file("not-executable.sh");
  std::ofstream(path) << "#!/bin/sh\n";
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_THAT(Process::start({{path}, {}}),
              HasError("cannot run '" + path + "': Permission denied (EACCES)"));
}

TEST(Process, FloodingTargetNeitherBlocksNorGrowsMemory) {
  pid_t pid = 0;
  {
    net::Result<Process> p = Process::start({{"yes", "flood"}, {}});
    ASSERT_THAT(p, IsOk());
    pid = p->pid();
    for (int i = 0; i < 500 && p->stdout_text().size() < kTailBytes; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(p->wait(300ms), std::nullopt) << "still writing";
    EXPECT_EQ(p->stdout_text().size(), kTailBytes);
    EXPECT_EQ(p->early_lines().size(), kEarlyLines);
    EXPECT_EQ(p->early_lines().front(), "flood");
  }
  EXPECT_TRUE(gone(pid));
}

// A sanitizer's report longer than the stderr tail is kept whole, from the line of its first
// marker on (the noise before it left out), and bounded.
TEST(Process, SanitizerReportIsKeptWholeBeyondTheTail) {
  const std::string script =
      "echo 'server noise' >&2; "
      "printf '==7==ERROR: AddressSanitizer: heap-buffer-overflow\\n' >&2; "
      "i=0; while [ $i -lt 3000 ]; do echo \"    #$i 0x5555 in frame$i /src/x.cpp:$i\"; "
      "i=$((i+1)); done >&2; "
      "echo 'SUMMARY: AddressSanitizer: heap-buffer-overflow /src/x.cpp:40 in serve' >&2";
  net::Result<Process> p = Process::start({{"sh", "-c", script}, {}});
  ASSERT_THAT(p, IsOk());
  ASSERT_EQ(p->wait(20s), (ExitStatus{0, 0}));
  ASSERT_TRUE(p->wait_drained(5s));
  const std::string report = p->sanitizer_report();
  EXPECT_GT(report.size(), kTailBytes);
  EXPECT_THAT(report,
              ::testing::StartsWith("==7==ERROR: AddressSanitizer: heap-buffer-overflow\n"));
  EXPECT_THAT(report, ::testing::EndsWith("SUMMARY: AddressSanitizer: heap-buffer-overflow "
                                          "/src/x.cpp:40 in serve\n"));
  EXPECT_THAT(p->stderr_text(), ::testing::Not(HasSubstr("ERROR: AddressSanitizer")));
}

TEST(Process, SanitizerReportIsEmptyWithoutAMarkerAndCutAtItsBound) {
  net::Result<Process> quiet = Process::start({{"sh", "-c", "echo 'just a log line' >&2"}, {}});
  ASSERT_THAT(quiet, IsOk());
  ASSERT_EQ(quiet->wait(10s), (ExitStatus{0, 0}));
  ASSERT_TRUE(quiet->wait_drained(5s));
  EXPECT_EQ(quiet->sanitizer_report(), "");

  // A marker split across two writes is still seen; a flood after it is cut at kReportBytes.
  net::Result<Process> flood =
      Process::start({{"sh", "-c",
                       "printf 'x.c:1: runtime ' >&2; sleep 0.1; printf 'error: overflow\\n' >&2; "
                       "head -c 3000000 /dev/zero | tr '\\0' y >&2"},
                      {}});
  ASSERT_THAT(flood, IsOk());
  ASSERT_EQ(flood->wait(20s), (ExitStatus{0, 0}));
  ASSERT_TRUE(flood->wait_drained(5s));
  const std::string report = flood->sanitizer_report();
  EXPECT_THAT(report, ::testing::StartsWith("x.c:1: runtime error: overflow\n"));
  EXPECT_THAT(report, ::testing::EndsWith("[... cut at 1 MiB]\n"));
  EXPECT_LE(report.size(), kReportBytes + 64);
}

TEST(Process, DestructorKillsTheWholeGroup) {
  pid_t child = 0;
  {
    net::Result<Process> p = Process::start({{"sh", "-c", "sleep 30 & echo $!; wait"}, {}});
    ASSERT_THAT(p, IsOk());
    std::uint64_t seen = 0;
    for (int i = 0; i < 500 && p->early_lines().empty(); ++i) seen = p->wait_output(seen, 10ms);
    ASSERT_EQ(p->early_lines().size(), 1U);
    child = std::stoi(p->early_lines().front());
  }
  EXPECT_TRUE(gone(child));
}

// A daemon (setsid: out of the process group) is found by escaped() once the main process has
// ended, and ended with the Process: its cgroup holds it (containment.hpp).
TEST(Process, DaemonThatLeftTheGroupIsFoundAndEndedWithIt) {
  if (!cgroups_available()) GTEST_SKIP() << containment_description();
  pid_t daemon = 0;
  {
    net::Result<Process> p = Process::start(
        {{"sh", "-c", "setsid -f sh -c 'echo $$; exec sleep 30'; exec sleep 30"}, {}});
    ASSERT_THAT(p, IsOk());
    std::uint64_t seen = 0;
    for (int i = 0; i < 500 && p->early_lines().empty(); ++i) seen = p->wait_output(seen, 10ms);
    ASSERT_EQ(p->early_lines().size(), 1U);
    daemon = std::stoi(p->early_lines().front());
    p->kill_group();
    EXPECT_EQ(p->wait(5s), (ExitStatus{-1, SIGKILL}));
    EXPECT_EQ(p->escaped(), std::vector<pid_t>{daemon});
    EXPECT_EQ(::kill(daemon, 0), 0) << "the group's SIGKILL does not reach it";
  }
  EXPECT_TRUE(gone(daemon));
}

TEST(Process, WaitEndsOnceTheStopFdIsReadable) {
  int fds[2] = {-1, -1};
  ASSERT_EQ(::pipe(fds), 0);
  const net::Fd read_end(fds[0]), write_end(fds[1]);
  ASSERT_EQ(::write(write_end.get(), "x", 1), 1);
  net::Result<Process> p = Process::start({{"sh", "-c", "sleep 2; exit 0"}, {}});
  ASSERT_THAT(p, IsOk());
  // Without the stop fd, the wait would see the exit after 2 s.
  EXPECT_EQ(p->wait(60s, read_end.get()), std::nullopt);
  EXPECT_EQ(p->exit_status(), std::nullopt);
}

TEST(Process, ChildDiesWithTheThreadThatStartedIt) {
  std::optional<Process> p;
  std::jthread([&] {
    net::Result<Process> started = Process::start({{"sleep", "30"}, {}});
    ASSERT_THAT(started, IsOk());
    p.emplace(std::move(started).value());
  }).join();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->wait(5s), (ExitStatus{-1, SIGKILL}));
}

// A program that exits while a child it left behind keeps its stdout open: what it wrote before
// the exit is read, and wait_drained says so without waiting for the child's end. (It used to
// wait for EOF only, so here it returned false at its timeout; after an exit that wait was
// 100 ms, and a reader starved that long under load lost a client's whole stdout.)
TEST(Process, OutputBeforeTheExitIsCompleteWhileAChildKeepsThePipesOpen) {
  net::Result<Process> p = Process::start({{"sh", "-c", "echo ok 3; sleep 60 & exit 0"}, {}});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->wait(10s), (ExitStatus{0, 0}));
  EXPECT_EQ(p->stdout_text(), "ok 3\n");
  EXPECT_TRUE(p->wait_drained(10s));  // the child sleeps on, its stdout still open
}

}  // namespace
}  // namespace sockspec::target
