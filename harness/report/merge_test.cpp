// Tests of merging shards' runs: plan order and verdicts as unsharded, and the refusals.
#include "harness/report/merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

// `run` dealt into `n` shards as engine::shard deals cases (case i to shard i % n + 1).
std::vector<ShardReport> dealt(const engine::RunResult& run, unsigned n) {
  std::vector<ShardReport> shards(n);
  for (unsigned k = 1; k <= n; ++k) {
    ShardReport& s = shards[k - 1];
    s.path = "shard-" + std::to_string(k) + ".json";
    s.run.info = run.info;
    s.run.info.shard = std::to_string(k) + "/" + std::to_string(n);
    s.run.info.cases = 0;
  }
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    engine::RunResult& shard = shards[i % n].run;
    shard.cases.push_back(run.cases[i]);
    shard.counts.add(run.cases[i].verdict);
    ++shard.info.cases;
  }
  return shards;
}

TEST(MergeShards, GivesTheUnshardedRunsCasesInPlanOrder) {
  const engine::RunResult run = testing::sample_run();
  std::vector<ShardReport> shards = dealt(run, 3);
  std::swap(shards[0], shards[2]);  // files given in any order
  const net::Result<engine::RunResult> merged = merge_shards(std::move(shards));
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  ASSERT_EQ(merged->cases.size(), run.cases.size());
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(merged->cases[i].name(), run.cases[i].name());
    EXPECT_EQ(merged->cases[i].verdict, run.cases[i].verdict);
  }
  EXPECT_EQ(merged->counts.total(), 7U);
  EXPECT_EQ(merged->counts.fail, 1U);
  EXPECT_EQ(merged->info.cases, 7U);
  EXPECT_EQ(merged->info.shard, "");
}

TEST(MergeShards, RefusesShardsThatDoNotBelongTogether) {
  struct Case {
    const char* what;
    std::function<void(engine::RunResult&)> change;  // of the second shard
    std::string error;
  };
  const Case cases[] = {
      {"version", [](engine::RunResult& r) { r.info.version = "0.2.0"; },
       "shard-2.json: made by sockspec 0.2.0, shard-1.json by 0.1.0"},
      {"pack", [](engine::RunResult& r) { r.info.pack = "0123456789ab"; },
       "shard-2.json: made from pack 0123456789ab, shard-1.json from pack ?"},
      {"targets", [](engine::RunResult& r) { r.info.targets = {"reference-epoll"}; },
       "shard-2.json: targets reference-epoll differ from shard-1.json's reference-epoll, "
       "broken-close"},
      {"strict", [](engine::RunResult& r) { r.info.strict = true; },
       "shard-2.json: --strict differs from shard-1.json"},
      {"overlap", [](engine::RunResult& r) { r.cases.push_back(testing::sample_run().cases[0]); },
       "shard-2.json: case str/echo [reference-epoll, ipv4] is also in shard-1.json"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    engine::RunResult run = testing::sample_run();
    run.info.version = "0.1.0";
    std::vector<ShardReport> shards = dealt(run, 3);
    c.change(shards[1].run);
    const net::Result<engine::RunResult> merged = merge_shards(std::move(shards));
    ASSERT_FALSE(merged.ok());
    EXPECT_EQ(merged.error().message, c.error);
  }
  EXPECT_FALSE(merge_shards({}).ok());
}

}  // namespace
}  // namespace sockspec::report
