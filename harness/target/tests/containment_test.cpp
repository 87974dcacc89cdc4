// Tests of containment: cgroups reused only when that is safe, stale run folders removed.
#include "harness/target/containment.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/target/process.hpp"
#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::IsOk;
using namespace std::chrono_literals;

// A program whose daemon needed cgroup.kill: the programs started after it still run (the
// kernel here, 6.18, kills what is born into a cgroup that was killed once: it is not reused).
TEST(Containment, ProgramsStartAfterADaemonWasKilled) {
  if (!cgroups_available()) GTEST_SKIP() << containment_description();
  {
    net::Result<Process> p = Process::start(
        {{"sh", "-c", "setsid -f sh -c 'echo $$; exec sleep 30'; exec sleep 30"}, {}});
    ASSERT_THAT(p, IsOk());
    std::uint64_t seen = 0;
    for (int i = 0; i < 500 && p->early_lines().empty(); ++i) seen = p->wait_output(seen, 10ms);
    ASSERT_EQ(p->early_lines().size(), 1U);
  }  // the daemon is killed with cgroup.kill
  for (int i = 0; i < 3; ++i) {
    net::Result<Process> p = Process::start({{"sh", "-c", "exit 0"}, {}});
    ASSERT_THAT(p, IsOk());
    EXPECT_EQ(p->wait(10s), (ExitStatus{0, 0}));
  }
}

// A run folder whose harness is gone (its keeper killed too) is emptied and removed by the next
// harness; a live harness's folder is left alone.
TEST(Containment, StaleRunFoldersAreRemoved) {
  if (!cgroups_available()) GTEST_SKIP() << containment_description();
  net::Result<Cgroup> mine = Cgroup::create();
  ASSERT_THAT(mine, IsOk());
  // A parent of its own: every harness process that starts meanwhile (ctest -j) removes the
  // stale run folders beside its own, and took this test's fake one first (asan preset, CI).
  const std::filesystem::path parent =
      std::filesystem::path(mine->path()).parent_path().parent_path() /
      ("stale-test." + std::to_string(::getpid()));
  ASSERT_EQ(::mkdir(parent.c_str(), 0755), 0);
  const pid_t gone = ::fork();
  if (gone == 0) _exit(0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const std::filesystem::path stale = parent / ("sockspec." + std::to_string(gone));
  ASSERT_EQ(::mkdir(stale.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((stale / "p0").c_str(), 0755), 0);
  // An orphan left in it: a process that moved itself in, then waits.
  const std::string procs = (stale / "p0" / "cgroup.procs").string();
  const pid_t orphan = ::fork();
  if (orphan == 0) {  // async-signal-safe calls only: the test may have threads
    const int fd = ::open(procs.c_str(), O_WRONLY);
    if (fd < 0 || ::write(fd, "0", 1) != 1) _exit(1);
    ::pause();
    _exit(0);
  }
  for (int i = 0; i < 500 && std::ifstream((stale / "p0" / "cgroup.procs").string()).peek() ==
                                 std::char_traits<char>::eof();
       ++i) {
    ::usleep(10000);
  }
  EXPECT_GE(remove_stale_run_folders(parent.string()), 1);
  EXPECT_FALSE(std::filesystem::exists(stale));
  int status = 0;
  ASSERT_EQ(::waitpid(orphan, &status, 0), orphan);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_TRUE(std::filesystem::exists(mine->path()));
  EXPECT_EQ(::rmdir(parent.c_str()), 0);
}

}  // namespace
}  // namespace sockspec::target
