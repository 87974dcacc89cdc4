// Tests of a pack's own requirement table (requirements.yaml) and of declaring requirements.
#include "harness/scenario/requirement_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/loader.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::scenario {
namespace {

using ::testing::HasSubstr;

// Each test declares IDs of its own: the table lives as long as the process.
TEST(RequirementFile, DeclaresEachRequirementWithItsLevelSideCapabilitiesAndText) {
  const auto declared = declare_requirements_text(R"(requirements:
  - id: TFILE-1
    level: MUST
    capabilities: [tcp]
    text: Every request gets exactly one reply.
  - id: TFILE-2
    level: SHOULD
    side: client
    text: The client retries once.
)",
                                                  "pack/requirements.yaml");
  ASSERT_TRUE(declared.ok()) << declared.error().message;
  const RequirementInfo* one = find_requirement("TFILE-1");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->level, Level::must);
  EXPECT_EQ(one->side, Side::server);
  EXPECT_EQ(one->capabilities, (std::vector<std::string_view>{"tcp"}));
  EXPECT_EQ(one->text, "Every request gets exactly one reply.");
  const RequirementInfo* two = find_requirement("TFILE-2");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->level, Level::should);
  EXPECT_EQ(two->side, Side::client);
  EXPECT_EQ(all_requirements().back().id, "TFILE-2");  // after the built-in ones, in order
}

TEST(RequirementFile, AScenarioMayNameADeclaredRequirement) {
  const std::string scenario = R"(id: my/ping
summary: PING gets PONG
requirements: [TSCEN-1]
transport: [tcp]
steps:
  - connect: {}
)";
  EXPECT_FALSE(load_scenario_text(scenario, "my/ping.yaml", {}).ok());
  ASSERT_TRUE(declare_requirements_text(
                  "requirements:\n  - {id: TSCEN-1, level: MUST, text: PING gets PONG.}\n",
                  "my/requirements.yaml")
                  .ok());
  const auto loaded = load_scenario_text(scenario, "my/ping.yaml", {});
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
}

TEST(RequirementFile, DeclaringTheSameTableAgainDoesNothing) {
  const std::string table = "requirements:\n  - {id: TAGAIN-1, level: MUST, text: Same.}\n";
  ASSERT_TRUE(declare_requirements_text(table, "a/requirements.yaml").ok());
  const std::size_t size = all_requirements().size();
  EXPECT_TRUE(declare_requirements_text(table, "b/requirements.yaml").ok());
  EXPECT_EQ(all_requirements().size(), size);
}

struct BadTable {
  std::string_view text;
  std::string_view message;
};

TEST(RequirementFile, BadTablesAreOneLineErrorsWithTheirPlace) {
  ASSERT_TRUE(
      declare_requirements_text("requirements:\n  - {id: TCLASH-1, level: MUST, text: One.}\n",
                                "first/requirements.yaml")
          .ok());
  const BadTable cases[] = {
      {"requirements:\n  - {id: STR-1, level: MUST, text: Mine.}\n",
       "r.yaml:2:5: 'STR-1' is a built-in requirement"},
      {"requirements:\n  - {id: TCLASH-1, level: SHOULD, text: One.}\n",
       "r.yaml:2:5: requirement 'TCLASH-1' is declared differently in first/requirements.yaml:2:5"},
      {"requirements:\n  - {id: lower-1, level: MUST, text: x}\n",
       "r.yaml:2:10: bad requirement id"},
      {"requirements:\n  - {id: TBAD-1, level: MAY, text: x}\n", "r.yaml:2:25: bad value 'MAY'"},
      {"requirements:\n  - {id: TBAD-2, level: MUST, capabilities: [tpc], text: x}\n",
       "unknown capability 'tpc' (did you mean 'tcp'?)"},
      {"requirements:\n  - {id: TBAD-3, level: MUST}\n", "missing field 'text'"},
      {"requirements:\n  - {id: TBAD-4, level: MUST, text: x, colour: red}\n", "colour"},
      {"requirements:\n  - {id: TBAD-5, level: MUST, text: a}\n  - {id: TBAD-5, level: MUST, "
       "text: a}\n",
       "requirement 'TBAD-5' is declared twice"},
      {"requirements: {id: TBAD-6}\n", "'requirements': expected a list"},
      {"requirements: [\n", "r.yaml:2:1: YAML syntax error"},
  };
  for (const BadTable& c : cases) {
    SCOPED_TRACE(c.text);
    const net::Status s = declare_requirements_text(c.text, "r.yaml");
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(s.error().message, HasSubstr(c.message));
    EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
  }
  // A bad table declares nothing, not even its good rows.
  EXPECT_FALSE(declare_requirements_text("requirements:\n  - {id: TPART-1, level: MUST, text: a}\n"
                                         "  - {id: TPART-2, level: MUST}\n",
                                         "r.yaml")
                   .ok());
  EXPECT_EQ(find_requirement("TPART-1"), nullptr);
}

}  // namespace
}  // namespace sockspec::scenario
