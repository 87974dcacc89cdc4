// svc/chargen-tcp-pattern's regexes (SVC-6 over TCP) against made-up chargen streams: the RFC 864
// pattern passes whatever its alphabet and first character, from the start and from mid-line;
// a broken rotation or line passes neither.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/engine/match.hpp"
#include "harness/scenario/loader.hpp"

namespace sockspec::engine {
namespace {

// The regexes of the scenario's `expect` steps, in order.
std::vector<std::string> scenario_regexes() {
  const auto s = scenario::load_scenario_file(std::string(SOCKSPEC_PACK_DIR) +
                                              "/tcp/services/svc-6-chargen-pattern.yaml");
  if (!s) {
    ADD_FAILURE() << s.error().message;
    return {};
  }
  std::vector<std::string> out;
  for (const scenario::Step& st : s->steps) {
    if (const auto* e = std::get_if<scenario::step::Expect>(&st.kind)) {
      if (const auto* r = std::get_if<scenario::Regex>(&e->match)) out.push_back(r->regex);
    }
  }
  return out;
}

struct Chargen {
  std::string alphabet;
  std::size_t first = 0;     // the first line starts at this character
  std::size_t shift = 1;     // each line starts this many characters after the previous
  std::size_t length = 72;   // characters per line
  std::string eol = "\r\n";  // line end
  std::size_t period = 0;    // not 0: the line number wraps here (xinetd: 95 over 93)
  [[nodiscard]] std::string stream(std::size_t bytes) const {
    std::string out;
    for (std::size_t line = 0; out.size() < bytes; ++line) {
      const std::size_t n = period == 0 ? line : line % period;
      for (std::size_t j = 0; j < length; ++j) {
        out += alphabet[(first + n * shift + j) % alphabet.size()];
      }
      out += eol;
    }
    return out;
  }
};

std::string printable(char from, char to) {
  std::string out;
  for (char c = from; c <= to; ++c) out += c;
  return out;
}

// Whether both checks of the scenario pass: at the start, and 65537 bytes on.
bool passes(const Chargen& c) {
  const std::vector<std::string> regexes = scenario_regexes();
  EXPECT_EQ(regexes.size(), 2U);
  if (regexes.size() != 2) return false;
  const std::string stream = c.stream(65537 + 20000);
  Expected at_start{Expected::Kind::regex, {}, regexes[0]};
  Expected further{Expected::Kind::regex, {}, regexes[1]};
  return match_stream(at_start, std::string_view(stream).substr(0, 20000), true).state ==
             StreamMatch::State::matched &&
         match_stream(further, std::string_view(stream).substr(65537, 20000), true).state ==
             StreamMatch::State::matched;
}

TEST(ChargenTcpPattern, TheRfcPatternPassesWithAnyAlphabetAndFirstCharacter) {
  EXPECT_TRUE(passes({printable(' ', '~')}));
  EXPECT_TRUE(passes({printable(' ', '~'), 40}));
  EXPECT_TRUE(passes({printable('!', '}'), 17}));  // xinetd's 93 characters
}

TEST(ChargenTcpPattern, ABrokenRotationOrLineFails) {
  const std::string all = printable(' ', '~');
  EXPECT_FALSE(passes({all, 0, 0}));                                  // the same line over and over
  EXPECT_FALSE(passes({all, 0, 2}));                                  // rotated by two
  EXPECT_FALSE(passes({all, 0, 1, 73}));                              // 73 characters a line
  EXPECT_FALSE(passes({all, 0, 1, 71}));                              // 71
  EXPECT_FALSE(passes({all, 0, 1, 72, "\n"}));                        // LF only
  EXPECT_FALSE(passes({printable('!', '}'), 0, 1, 72, "\r\n", 95}));  // xinetd's TCP chargen
}

}  // namespace
}  // namespace sockspec::engine
