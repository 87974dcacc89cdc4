// Tests of the console's terminal decisions: --color against the environment, the live line.
#include "harness/report/console_tty.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

EnvLookup lookup(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(ConsoleColour, ModeTtyAndEnvironment) {
  struct Case {
    std::string mode;
    bool tty;
    std::map<std::string, std::string> env;
    bool colour;
  };
  const Case cases[] = {
      {"auto", true, {}, true},
      {"auto", false, {}, false},
      {"auto", true, {{"NO_COLOR", "1"}}, false},
      {"auto", true, {{"NO_COLOR", ""}}, true},  // set but empty: as unset
      {"auto", false, {{"FORCE_COLOR", "1"}}, true},
      {"auto", false, {{"FORCE_COLOR", "3"}}, true},
      {"auto", false, {{"FORCE_COLOR", "0"}}, false},
      {"auto", false, {{"FORCE_COLOR", ""}}, false},
      {"auto", false, {{"CLICOLOR_FORCE", "1"}}, true},
      {"auto", false, {{"CLICOLOR_FORCE", "0"}}, false},
      {"auto", true, {{"NO_COLOR", "1"}, {"FORCE_COLOR", "1"}}, false},  // NO_COLOR first
      {"auto", true, {{"TERM", "dumb"}}, false},
      {"auto", true, {{"TERM", "xterm-256color"}}, true},
      {"auto", false, {{"TERM", "dumb"}, {"CLICOLOR_FORCE", "1"}}, true},  // forced wins
      {"always", false, {{"NO_COLOR", "1"}, {"TERM", "dumb"}}, true},
      {"never", true, {{"FORCE_COLOR", "1"}}, false},
      {"never", true, {}, false},
  };
  for (const Case& c : cases) {
    std::string env;
    for (const auto& [name, value] : c.env) env += name + "=" + value + " ";
    SCOPED_TRACE(c.mode + (c.tty ? " tty " : " no-tty ") + env);
    EXPECT_EQ(console_colour(c.mode, c.tty, lookup(c.env)), c.colour);
  }
}

TEST(ConsoleLive, OnATerminalUnlessItIsDumb) {
  EXPECT_TRUE(console_live(true, lookup({{"TERM", "xterm"}})));
  EXPECT_TRUE(console_live(true, lookup({})));
  EXPECT_FALSE(console_live(true, lookup({{"TERM", "dumb"}})));
  EXPECT_FALSE(console_live(false, lookup({{"TERM", "xterm"}})));
}

TEST(ConsoleTty, AFileIsNoTerminalAndHasTheDefaultWidth) {
  const testing::Capture capture;
  EXPECT_FALSE(is_terminal(capture.file()));
  EXPECT_EQ(terminal_width(capture.file()), kDefaultWidth);
}

}  // namespace
}  // namespace sockspec::report
