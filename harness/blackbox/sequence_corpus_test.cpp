// SequenceCorpus: seeds kept, duplicates and empty messages refused, the cap, splicing picks.
#include "harness/blackbox/sequence_corpus.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sockspec::blackbox {
namespace {

TEST(SequenceCorpus, RefusesEmptyAndDuplicateSequences) {
  SequenceCorpus c(8);
  std::mt19937_64 rng(1);
  c.add_seed({"a"});
  c.add_seed({"a"});
  c.add_seed({});
  c.add_seed({"b", ""});
  EXPECT_EQ(c.size(), 1u);
  EXPECT_TRUE(c.add({"a", "b"}, rng));
  EXPECT_FALSE(c.add({"a", "b"}, rng));
  EXPECT_TRUE(c.add({"ab"}, rng));  // not the same as "a" then "b"
  EXPECT_FALSE(c.add({}, rng));
  EXPECT_EQ(c.size(), 3u);
}

TEST(SequenceCorpus, CapReplacesGrownEntriesNeverSeeds) {
  SequenceCorpus c(3);
  std::mt19937_64 rng(7);
  c.add_seed({"seed1"});
  c.add_seed({"seed2"});
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(c.add({"x", std::to_string(i)}, rng));
  EXPECT_EQ(c.size(), 3u);
  std::set<std::string> firsts;
  for (int i = 0; i < 200; ++i) firsts.insert(c.pick(rng).front());
  EXPECT_TRUE(firsts.contains("seed1"));
  EXPECT_TRUE(firsts.contains("seed2"));
  EXPECT_TRUE(firsts.contains("x"));
}

TEST(SequenceCorpus, AnyMessageComesFromEveryPosition) {
  SequenceCorpus c(4);
  std::mt19937_64 rng(3);
  c.add_seed({"LOGIN a", "MODE b", "DATA c"});
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(c.any_message(rng));
  EXPECT_EQ(seen, (std::set<std::string>{"LOGIN a", "MODE b", "DATA c"}));
}

}  // namespace
}  // namespace sockspec::blackbox
