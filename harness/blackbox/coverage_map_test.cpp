// CoverageMap: buckets, new edges against the virgin map, the segment's lifetime.
#include "harness/blackbox/coverage_map.hpp"

#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <sstream>
#include <string>

namespace sockspec::blackbox {
namespace {

TEST(HitBucket, AflClasses) {
  EXPECT_EQ(hit_bucket(0), 0);
  EXPECT_EQ(hit_bucket(1), 1);
  EXPECT_EQ(hit_bucket(2), 2);
  EXPECT_EQ(hit_bucket(3), 4);
  EXPECT_EQ(hit_bucket(7), 8);
  EXPECT_EQ(hit_bucket(8), 16);
  EXPECT_EQ(hit_bucket(31), 32);
  EXPECT_EQ(hit_bucket(127), 64);
  EXPECT_EQ(hit_bucket(128), 128);
  EXPECT_EQ(hit_bucket(255), 128);
}

TEST(AflMapSize, DefaultAndLarger) {
  EXPECT_EQ(afl_map_size(nullptr).value(), kAflMapSize);
  EXPECT_EQ(afl_map_size("").value(), kAflMapSize);
  EXPECT_EQ(afl_map_size("1000").value(), kAflMapSize);  // never below AFL's own
  EXPECT_EQ(afl_map_size("262144").value(), 262144u);
  ASSERT_FALSE(afl_map_size("64k"));
  EXPECT_EQ(afl_map_size("64k").error().message,
            "AFL_MAP_SIZE=64k: expected a number of bytes up to 1 GiB");
}

TEST(CoverageMap, NewEdgesThenNewBucketsThenNothing) {
  net::Result<CoverageMap> made = CoverageMap::create();
  ASSERT_TRUE(made) << made.error().message;
  CoverageMap& map = *made;
  EXPECT_EQ(map.size(), kAflMapSize);
  EXPECT_FALSE(map.touched());
  map.counters()[10] = 1;
  map.counters()[65535] = 5;
  EXPECT_TRUE(map.touched());
  CoverageGain g = map.merge();
  EXPECT_EQ(g.new_edges, 2u);
  EXPECT_EQ(g.new_buckets, 0u);
  EXPECT_EQ(map.edges_seen(), 2u);

  map.clear();
  EXPECT_FALSE(map.touched());
  map.counters()[10] = 1;     // the same bucket: nothing new
  map.counters()[65535] = 6;  // 4-7 again
  EXPECT_FALSE(map.merge().any());

  map.clear();
  map.counters()[10] = 2;  // a new bucket of a known edge
  g = map.merge();
  EXPECT_EQ(g.new_edges, 0u);
  EXPECT_EQ(g.new_buckets, 1u);
  EXPECT_EQ(map.edges_seen(), 2u);
}

TEST(CoverageMap, FingerprintFollowsTheCounters) {
  net::Result<CoverageMap> map = CoverageMap::create();
  ASSERT_TRUE(map);
  const std::uint64_t empty = map->fingerprint();
  map->counters()[123] = 1;
  EXPECT_NE(map->fingerprint(), empty);
  map->clear();
  EXPECT_EQ(map->fingerprint(), empty);
}

TEST(CoverageMap, EnvironmentNamesTheSegmentAndItsSize) {
  net::Result<CoverageMap> map = CoverageMap::create(131072);
  ASSERT_TRUE(map);
  const auto env = map->environment();
  ASSERT_EQ(env.size(), 3u);
  EXPECT_EQ(env[0], std::make_pair(std::string("__AFL_SHM_ID"), std::to_string(map->id())));
  EXPECT_EQ(env[1], std::make_pair(std::string("AFL_MAP_SIZE"), std::string("131072")));
  EXPECT_EQ(env[2], std::make_pair(std::string("AFL_NO_SNAPSHOT"), std::string("1")));
}

// A process started later attaches by id (as the target does), although the segment is
// already marked for removal, and its writes are what the map reads.
TEST(CoverageMap, AnotherProcessAttachesByIdAndWrites) {
  net::Result<CoverageMap> map = CoverageMap::create();
  ASSERT_TRUE(map);
  const int id = map->id();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    void* at = shmat(id, nullptr, 0);
    if (at == reinterpret_cast<void*>(-1)) _exit(1);  // NOLINT: shmat's error value
    static_cast<unsigned char*>(at)[42] = 3;
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(map->counters()[42], 3);
  EXPECT_EQ(map->merge().new_edges, 1u);
}

// Whether `ipcs -m` lists a segment with this id.
bool ipcs_lists(int id) {
  std::FILE* out = popen("ipcs -m", "r");
  if (out == nullptr) return true;
  std::string text;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  (void)pclose(out);
  std::istringstream lines(text);
  std::string key;
  std::string shmid;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    if (fields >> key >> shmid && shmid == std::to_string(id)) return true;
  }
  return false;
}

// Marked for removal from the start: once the map is gone `ipcs -m` lists no such segment, and
// a sockspec killed by SIGKILL while holding one leaves none behind either.
TEST(CoverageMap, NoSegmentOutlivesTheMap) {
  int id = -1;
  {
    net::Result<CoverageMap> map = CoverageMap::create();
    ASSERT_TRUE(map);
    id = map->id();
    EXPECT_TRUE(ipcs_lists(id));
    shmid_ds info{};
    ASSERT_EQ(shmctl(id, IPC_STAT, &info), 0);
    EXPECT_NE(info.shm_perm.mode & SHM_DEST, 0u) << "not marked for removal";
    CoverageMap moved = std::move(map).value();
    EXPECT_EQ(moved.id(), id);
  }
  EXPECT_FALSE(ipcs_lists(id));

  int ids[2];
  ASSERT_EQ(pipe(ids), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    net::Result<CoverageMap> map = CoverageMap::create();
    const int made = map ? map->id() : -1;
    if (write(ids[1], &made, sizeof made) != sizeof made) _exit(1);
    (void)kill(getpid(), SIGKILL);
    _exit(2);
  }
  (void)close(ids[1]);
  int held = -1;
  ASSERT_EQ(read(ids[0], &held, sizeof held), static_cast<ssize_t>(sizeof held));
  (void)close(ids[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_GE(held, 0);
  EXPECT_FALSE(ipcs_lists(held));
}

}  // namespace
}  // namespace sockspec::blackbox
