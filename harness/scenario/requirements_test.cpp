// Tests of the requirement and capability tables, and of docs/requirements.md against them.
#include "harness/scenario/requirements.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace sockspec::scenario {
namespace {

TEST(Requirements, TableMatchesConformanceLevels) {
  EXPECT_EQ(builtin_requirements().size(), 46U);
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

// The rows of docs/requirements.md's tables: ID -> "LEVEL | applies to | requirement".
std::map<std::string, std::string> documented_rows() {
  std::ifstream in(std::string(SOCKSPEC_DOCS_DIR) + "/requirements.md");
  std::map<std::string, std::string> rows;
  static const std::regex kRow(R"(^\| ([A-Z]+-\d+) \| ([A-Z]+) \| ([^|]+) \| ([^|]+) \|.*$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, kRow)) continue;
    EXPECT_FALSE(rows.contains(m[1])) << "documented twice: " << m[1];
    rows[m[1]] = m[2].str() + " | " + m[3].str() + " | " + m[4].str();
  }
  return rows;
}

// The same row, from the table in code.
std::string table_row(const RequirementInfo& r) {
  std::string applies = r.side == Side::server ? "server" : "client";
  for (std::string_view c : r.capabilities) applies += ", `" + std::string(c) + "`";
  return std::string(r.level == Level::must ? "MUST" : "SHOULD") + " | " + applies + " | " +
         std::string(r.text);
}

TEST(Requirements, DocsMatchTheTable) {
  std::map<std::string, std::string> documented = documented_rows();
  ASSERT_FALSE(documented.empty()) << SOCKSPEC_DOCS_DIR << "/requirements.md has no table rows";
  for (const RequirementInfo& r : builtin_requirements()) {
    SCOPED_TRACE(std::string(r.id));
    EXPECT_EQ(documented[std::string(r.id)], table_row(r));
    documented.erase(std::string(r.id));
  }
  for (const auto& [id, row] : documented) ADD_FAILURE() << "documented, not in the table: " << id;
}

TEST(Requirements, EachHasItsSentence) {
  for (const RequirementInfo& r : builtin_requirements()) {
    SCOPED_TRACE(std::string(r.id));
    EXPECT_FALSE(r.text.empty());
    EXPECT_TRUE(r.text.ends_with(".")) << r.text;
    EXPECT_EQ(r.text.find('|'), std::string_view::npos);  // it is a table cell in the docs
  }
}

}  // namespace
}  // namespace sockspec::scenario
