// The edge map of a target built with AFL++'s instrumentation (afl-clang-fast, afl-clang-lto),
// read while the target stays alive: a System V shared memory segment the target attaches to at
// start (__AFL_SHM_ID), cleared before each message and read after its answer. No fork server:
// the target runs as it would without AFL, and only its edge counters land in our segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// AFL++'s default map size (MAP_SIZE), used unless the target needs more (AFL_MAP_SIZE).
inline constexpr std::size_t kAflMapSize = 65536;

// What one read of the map added to what was seen before.
struct CoverageGain {
  std::size_t new_edges = 0;    // edges never hit before
  std::size_t new_buckets = 0;  // edges hit before, now with a new hit-count bucket
  [[nodiscard]] bool any() const { return new_edges + new_buckets > 0; }
};

// Owns the segment (RAII). The segment is marked for removal (IPC_RMID) as soon as it is
// created: Linux still lets a target attach to it by id, and the kernel frees it once the last
// process detaches, so no segment outlives sockspec even when it is killed. Not thread-safe.
class CoverageMap {
 public:
  // A segment of `size` bytes (at least kAflMapSize). Error: "shared memory: shmget: ..."
  [[nodiscard]] static net::Result<CoverageMap> create(std::size_t size = kAflMapSize);
  CoverageMap(CoverageMap&& other) noexcept;
  CoverageMap& operator=(CoverageMap&& other) noexcept;
  CoverageMap(const CoverageMap&) = delete;
  CoverageMap& operator=(const CoverageMap&) = delete;
  ~CoverageMap();

  [[nodiscard]] int id() const { return id_; }
  [[nodiscard]] std::size_t size() const { return size_; }
  // The environment a target is started with: __AFL_SHM_ID, AFL_MAP_SIZE (the runtime's map
  // must fit the segment), AFL_NO_SNAPSHOT=1 (no snapshot module); no __AFL_FORKSRV_FD pipes
  // are open in the target, so its runtime runs without a fork server.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> environment() const;

  // Zeroes the counters (before a message).
  void clear();
  // Whether any counter is non-zero (the target attached and ran instrumented code since the
  // last clear()).
  [[nodiscard]] bool touched() const;
  // A cheap fingerprint of the counters (to see whether the target is still writing).
  [[nodiscard]] std::uint64_t fingerprint() const;
  // Classifies the counters into AFL's hit-count buckets (1, 2, 3, 4-7, 8-15, 16-31, 32-127,
  // 128+), compares them with the virgin map and records them there: what is new since the
  // map was created.
  [[nodiscard]] CoverageGain merge();
  // Distinct edges hit since the map was created (over all merge() calls).
  [[nodiscard]] std::size_t edges_seen() const { return edges_seen_; }

  // For tests: the counters, as the target sees them.
  [[nodiscard]] unsigned char* counters() { return trace_; }

 private:
  CoverageMap(int id, unsigned char* trace, std::size_t size);

  int id_ = -1;
  unsigned char* trace_ = nullptr;  // attached; null once moved from
  std::size_t size_ = 0;
  std::vector<unsigned char> virgin_;  // bits not yet seen, per edge (0xff: edge never hit)
  std::size_t edges_seen_ = 0;
};

using Environment = std::vector<std::pair<std::string, std::string>>;

// A target's environment for a coverage campaign: `profile_env` plus map.environment(), and
// ASan's report unsymbolized (symbolize=0 added to the profile's ASAN_OPTIONS, else to
// `inherited_asan_options`, sockspec's own): a symbolizing target sleeps, alive and serving,
// for a second or more after its crash, and a death must show before the next inputs. The
// finding's replay under `sockspec run` symbolizes as the profile says.
[[nodiscard]] Environment coverage_environment(const CoverageMap& map, Environment profile_env,
                                               const char* inherited_asan_options);

// AFL's bucket bit for a hit count (0 for 0).
[[nodiscard]] unsigned char hit_bucket(unsigned char count);

// The map size to use: AFL_MAP_SIZE from `environment_value` when it is a number larger than
// kAflMapSize (as afl-fuzz honours it), else kAflMapSize. Error: not a number.
[[nodiscard]] net::Result<std::size_t> afl_map_size(const char* environment_value);

}  // namespace sockspec::blackbox
