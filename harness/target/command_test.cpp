// Tests of TargetCommand printing, profile template rendering and command-line splitting.
#include "harness/target/command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "targets/testing/net_printers.hpp"

namespace sockspec::target {
namespace {

using ::sockspec::testing::HasError;
using ::sockspec::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(TargetCommand, QuotesOnlyWordsThatNeedIt) {
  const TargetCommand c{{"/bin/server", "--bind", "::1", "a b", "it's", "", "x=1,y:2"},
                        {{"PORT", "0"}, {"MSG", "hello world"}}};
  EXPECT_EQ(c.to_string(),
            "PORT=0 MSG='hello world' /bin/server --bind ::1 'a b' 'it'\\''s' '' x=1,y:2");
}

TEST(TargetCommand, PrintedLineSplitsBackToTheSameWords) {
  const TargetCommand c{{"sh", "-c", "echo 'hi' \"$X\" \\ ; kill -SEGV $$", "tab\there"}, {}};
  net::Result<std::vector<std::string>> words = split_command_line(c.to_string());
  ASSERT_THAT(words, IsOk());
  EXPECT_EQ(*words, c.argv);
}

TEST(RenderCommand, ReplacesPlaceholdersInArgvAndEnv) {
  const scenario::TemplateVars vars{{"host", "::1"}, {"port", "0"}};
  net::Result<TargetCommand> c =
      render_command({"srv", "--bind", "{host}", "--port={port}", "{{literal}"},
                     {{"LISTEN", "[{host}]:{port}"}}, vars);
  ASSERT_THAT(c, IsOk());
  EXPECT_THAT(c->argv, ElementsAre("srv", "--bind", "::1", "--port=0", "{literal}"));
  EXPECT_EQ(c->env.at(0).second, "[::1]:0");
}

TEST(RenderCommand, MissingValueIsAnErrorNamingIt) {
  EXPECT_THAT(render_command({"srv", "{service}"}, {}, {}),
              HasError("argv[1] '{service}': placeholder '{service}' has no value here"));
  EXPECT_THAT(render_command({"srv"}, {{"P", "{port}"}}, {}),
              HasError(HasSubstr("env P '{port}': placeholder '{port}'")));
}

TEST(CheckProfileTemplate, KnowsTheProfilePlaceholders) {
  EXPECT_THAT(check_profile_template("{bindir}/x --port {port} {{x}"), IsOk());
  EXPECT_THAT(check_profile_template("{prot}"),
              HasError("unknown placeholder '{prot}' (did you mean '{port}'?)"));
  EXPECT_THAT(check_profile_template("{client}"),
              HasError(HasSubstr("unknown placeholder '{client}': expected one of {bindir}")));
  EXPECT_TRUE(uses_placeholder("--port={port}", "port"));
  EXPECT_FALSE(uses_placeholder("--port={{port}", "port"));
}

TEST(SplitCommandLine, SplitsLikeAShell) {
  struct Case {
    std::string line;
    std::vector<std::string> words;
  };
  const Case cases[] = {
      {"", {}},
      {"  a   b\tc ", {"a", "b", "c"}},
      {"a 'b c' \"d e\"", {"a", "b c", "d e"}},
      {"x'y'\"z\"", {"xyz"}},
      {"'' \"\"", {"", ""}},
      {R"(a\ b \'c)", {"a b", "'c"}},
      {R"("a\"b\\c\d$")", {"a\"b\\c\\d$"}},
      {"'no $expansion {port}'", {"no $expansion {port}"}},
      {"a\\\nb", {"ab"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    net::Result<std::vector<std::string>> words = split_command_line(c.line);
    ASSERT_THAT(words, IsOk());
    EXPECT_EQ(*words, c.words);
  }
}

TEST(SplitCommandLine, UnterminatedQuoteIsAnError) {
  EXPECT_THAT(split_command_line("a 'b"),
              HasError("unterminated ' quote at column 3 of the command"));
  EXPECT_THAT(split_command_line("a \"b"),
              HasError("unterminated \" quote at column 3 of the command"));
  EXPECT_THAT(split_command_line("a \\"), HasError("command line ends with a lone '\\'"));
}

}  // namespace
}  // namespace sockspec::target
