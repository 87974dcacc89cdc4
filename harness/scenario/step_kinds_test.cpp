// The step kinds' table: one entry per StepKind alternative, its reader making that alternative,
// step_name() reading its names from it, and a row in the harness README's step table for each.
#include "harness/scenario/step_kinds.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

namespace sockspec::scenario {
namespace {

template <std::size_t... I>
std::vector<StepKind> every_kind(std::index_sequence<I...> /*unused*/) {
  return {StepKind(std::in_place_index<I>)...};
}

TEST(StepKinds, EveryAlternativeHasOneEntryAndEveryNameIsUsedOnce) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < std::variant_size_v<StepKind>; ++i) {
    EXPECT_EQ(entries_for(kStepKinds, i), 1U) << "alternative " << i;
  }
  for (const StepKindEntry& e : kStepKinds) EXPECT_TRUE(names.insert(e.name).second) << e.name;
  EXPECT_EQ(names.size(), std::variant_size_v<StepKind>);
}

TEST(StepKinds, TheCheckRejectsATableThatMissesAKindOrNamesOneTwice) {
  const std::span<const StepKindEntry> all(kStepKinds);
  EXPECT_TRUE(one_entry_per_kind(all));
  EXPECT_FALSE(one_entry_per_kind(all.first(all.size() - 1)));
  std::vector<StepKindEntry> twice(all.begin(), all.end());
  twice.back().index = twice.front().index;
  EXPECT_FALSE(one_entry_per_kind(twice));
  std::vector<StepKindEntry> same_name(all.begin(), all.end());
  same_name.back().name = same_name.front().name;
  EXPECT_FALSE(one_entry_per_kind(same_name));
}

TEST(StepKinds, EachReaderMakesItsOwnKind) {
  for (const StepKindEntry& e : kStepKinds) {
    YamlReader r("t.yaml");
    StepReader s{r, "."};
    EXPECT_EQ(e.read(s, e.name, YAML::Node()).index(), e.index) << e.name;
  }
}

TEST(StepKinds, StepNameIsTheEntrysName) {
  const std::vector<StepKind> kinds =
      every_kind(std::make_index_sequence<std::variant_size_v<StepKind>>());
  for (const StepKindEntry& e : kStepKinds) EXPECT_EQ(step_name(kinds.at(e.index)), e.name);
  EXPECT_EQ(step_name(StepKind(step::ExpectEof{})), "expect-eof");
  EXPECT_EQ(step_name(StepKind(step::Barrier{})), "barrier");
}

// The step table of harness/README.md (its rows start "| `name` |") has a row for every kind.
TEST(StepKinds, EveryKindHasARowInTheHarnessReadme) {
  std::ifstream in(std::string(SOCKSPEC_DOCS_DIR) + "/../harness/README.md");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  for (const StepKindEntry& e : kStepKinds) {
    EXPECT_NE(text.str().find("\n| `" + std::string(e.name) + "` |"), std::string::npos) << e.name;
  }
}

TEST(StepKinds, AnUnknownNameHasNoEntry) {
  EXPECT_EQ(find_step_kind("expect-eof")->name, "expect-eof");
  EXPECT_EQ(find_step_kind("expect_eof"), nullptr);
}

}  // namespace
}  // namespace sockspec::scenario
