// The example scenarios in testdata/ load, form a valid pack, and survive a round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "harness/scenario/loader.hpp"

namespace sockspec::scenario {
namespace {

std::vector<std::string> example_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(SOCKSPEC_SCENARIO_TESTDATA)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Testdata, EveryExampleLoadsAndRoundTrips) {
  const std::vector<std::string> files = example_files();
  ASSERT_GE(files.size(), 6U);
  std::vector<Scenario> pack;
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    const auto s = load_scenario_file(f);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->where.file, f);
    const std::string yaml = to_yaml(*s);
    // to_yaml writes file data as absolute paths, here outside the (made-up) folder of
    // round-trip.yaml: allowed as --data-root would.
    const auto again = load_scenario_text(yaml, f, {"/"});
    ASSERT_TRUE(again.ok()) << again.error().message << "\n" << yaml;
    EXPECT_EQ(*again, *s) << yaml;
    EXPECT_EQ(to_yaml(*again), yaml);
    pack.push_back(*s);
  }
  EXPECT_TRUE(validate_pack(pack).ok());
}

TEST(Testdata, FileDataIsReadRelativeToTheScenario) {
  const auto s = load_scenario_file(SOCKSPEC_SCENARIO_TESTDATA "/con_parallel_payloads.yaml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto& par = std::get<step::Parallel>(s->steps[0].kind);
  const auto& send = std::get<step::Send>(par.steps[2].kind);
  EXPECT_EQ(send.data.kind, DataKind::file);
  EXPECT_EQ(send.data.bytes, std::string("sockspec test payload\0\x01\xff\n", 25));
}

}  // namespace
}  // namespace sockspec::scenario
