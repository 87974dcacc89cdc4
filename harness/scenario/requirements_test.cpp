// Tests of the requirement and capability tables against CONFORMANCE.md.
#include "harness/scenario/requirements.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sockspec::scenario {
namespace {

TEST(Requirements, TableMatchesConformanceLevels) {
  EXPECT_EQ(all_requirements().size(), 46U);
  const std::pair<const char*, Level> cases[] = {{"EPH-1", Level::must},   {"STR-8", Level::should},
                                                 {"DGR-2", Level::should}, {"DGR-7", Level::should},
                                                 {"SVC-6", Level::should}, {"CLI-5", Level::must}};
  for (const auto& [id, level] : cases) {
    SCOPED_TRACE(id);
    const RequirementInfo* r = find_requirement(id);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->level, level);
  }
  EXPECT_EQ(find_requirement("STR-99"), nullptr);
  EXPECT_EQ(find_requirement("str-1"), nullptr);
}

TEST(Requirements, IdsAreUniqueAndCapabilitiesKnown) {
  std::set<std::string> ids;
  for (const RequirementInfo& r : all_requirements()) {
    SCOPED_TRACE(std::string(r.id));
    EXPECT_TRUE(ids.insert(std::string(r.id)).second);
    for (const std::string_view c : r.capabilities) EXPECT_TRUE(is_capability(c)) << c;
  }
}

TEST(Requirements, SidesAndCapabilities) {
  EXPECT_EQ(find_requirement("CLI-2")->side, Side::client);
  EXPECT_EQ(find_requirement("STR-1")->side, Side::server);
  EXPECT_EQ(find_requirement("STR-1")->capabilities,
            (std::vector<std::string_view>{"tcp", "echo"}));
  EXPECT_EQ(find_requirement("CON-3")->capabilities, (std::vector<std::string_view>{"processes"}));
}

TEST(Capabilities, ListMatchesConformance) {
  EXPECT_EQ(all_capabilities().size(), 15U);
  EXPECT_TRUE(is_capability("graceful-stop"));
  EXPECT_FALSE(is_capability("tpc"));
}

}  // namespace
}  // namespace sockspec::scenario
