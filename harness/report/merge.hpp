// Shards' reports made one (`sockspec report merge`): the runs of `sockspec run --shard K/N`, read
// back from their JSON reports, as the one run they are slices of.
#pragma once

#include <string>
#include <vector>

#include "harness/engine/result.hpp"
#include "targets/net/result.hpp"

namespace sockspec::report {

// A run read back, and the file it came from (for errors).
struct ShardReport {
  std::string path;
  engine::RunResult run;
};

// One run of every shard's cases. The shards must agree on the tool's version, the targets (in
// order), --strict and stability mode (--repeat, --verify), and no case (scenario, target,
// family) may be in two of them; else the error names the file: "b.json: made by sockspec
// 0.2.0, a.json by 0.1.0", "b.json: targets reference-epoll differ from a.json's
// reference-epoll, reference-threads", "b.json: --strict differs from a.json",
// "b.json: case str/echo [reference-epoll, ipv4] is also in a.json". No shard: an error too.
// The merged run: the first shard's RunInfo with `cases` and `runs` summed, `shard` empty,
// `started_at` the earliest, `requirements` the union; `elapsed` the longest shard's (shards run
// side by side); interrupted if any was. Cases in the unsharded run's plan order when every shard
// is a K/N slice of the same N (engine::shard deals case i to shard i % N + 1), else in the
// shards' order.
[[nodiscard]] net::Result<engine::RunResult> merge_shards(std::vector<ShardReport> shards);

}  // namespace sockspec::report
