// A bad file reports every independent error (each top-level key's and each step's first), in
// reading order, without the cascades a broken part would cause, and at most kMaxErrors of them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/scenario/loader.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace sockspec::scenario {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

std::vector<std::string> error_lines(std::string_view yaml) {
  const auto r = load_scenario_text(yaml, "t.yaml");
  if (r.ok()) return {};
  std::vector<std::string> out;
  const std::string& text = r.error().message;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TEST(LoaderAllErrors, EachKeyAndEachStepReportsItsFirstError) {
  EXPECT_THAT(error_lines("id: T/x\n"
                          "summary: s\n"
                          "requirements: [STR-1, STR-99]\n"
                          "needs: [tcp]\n"
                          "families: [ipv5]\n"
                          "steps:\n"
                          "  - connect: {as: c, within: soon}\n"
                          "  - send: {on: c, text: a, hex: '00'}\n"
                          "  - expect-eof: {}\n"
                          "  - sned: {}\n"),
              ElementsAre("t.yaml:1:5: bad id 'T/x': expected lower-case letters, digits, '/', "
                          "'-', '_', '.'",
                          "t.yaml:3:23: unknown requirement 'STR-99' (did you mean 'STR-1'?)",
                          "t.yaml:5:12: bad value 'ipv5' for 'families': expected one of ipv4, "
                          "ipv6 (did you mean 'ipv4'?)",
                          "t.yaml:7:30: bad duration 'soon': expected a number and a unit (us, "
                          "ms, s, m, h), e.g. 500ms",
                          "t.yaml:8:33: send takes one of text, hex, base64, pattern, file; got "
                          "text and hex",
                          "t.yaml:10:5: unknown step 'sned' (did you mean 'send'?)"));
}

TEST(LoaderAllErrors, EveryUnknownKeyOfAMapIsReported) {
  EXPECT_THAT(error_lines("id: t/x\nsumary: s\nrequirements: [STR-1]\nneeds: [tcp]\ncolour: red\n"
                          "steps:\n  - connect: {}\n"),
              ElementsAre("t.yaml:2:1: unknown key 'sumary' in scenario (did you mean 'summary'?)",
                          testing::StartsWith("t.yaml:5:1: unknown key 'colour' in scenario"),
                          "t.yaml:1:1: missing field 'summary' in scenario"));
}

TEST(LoaderAllErrors, CrossChecksRunOnlyOnAFileReadWithoutErrors) {
  // The bad `connect` is not kept: the later use of its endpoint is not reported as unknown.
  EXPECT_THAT(error_lines("id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n"
                          "  - connect: {as: c, colour: red}\n  - send: {on: c, text: a}\n"),
              ElementsAre(testing::StartsWith("t.yaml:6:22: unknown key 'colour' in connect")));
}

TEST(LoaderAllErrors, AFileReportsAtMostTheBoundAndSaysThereWereMore) {
  std::string yaml = "id: t/x\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n";
  for (std::size_t i = 0; i < kMaxErrors + 50; ++i) yaml += "  - sned: {}\n";
  const std::vector<std::string> lines = error_lines(yaml);
  ASSERT_THAT(lines, SizeIs(kMaxErrors + 1));
  EXPECT_EQ(lines.front(), "t.yaml:6:5: unknown step 'sned' (did you mean 'send'?)");
  EXPECT_EQ(lines[kMaxErrors - 1], "t.yaml:" + std::to_string(5 + kMaxErrors) +
                                       ":5: unknown step 'sned' (did you mean 'send'?)");
  EXPECT_EQ(lines.back(), "t.yaml: more than 100 errors; the rest are not shown");
}

TEST(ValidatePack, NamesEveryDuplicateId) {
  const auto load = [](const char* id, const char* file) {
    return *load_scenario_text(std::string("id: ") + id +
                                   "\nsummary: s\nrequirements: [STR-1]\nneeds: [tcp]\nsteps:\n"
                                   "  - connect: {}\n",
                               file);
  };
  const std::vector<Scenario> pack = {load("a/b", "one.yaml"), load("a/b", "two.yaml"),
                                      load("c/d", "three.yaml"), load("c/d", "four.yaml")};
  const net::Status s = validate_pack(pack);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "two.yaml:1:5: duplicate id 'a/b' (also in one.yaml:1:5)\n"
            "four.yaml:1:5: duplicate id 'c/d' (also in three.yaml:1:5)");
}

}  // namespace
}  // namespace sockspec::scenario
