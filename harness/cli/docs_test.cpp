// The command line's description and what is generated from it: the man page and the bash and
// zsh completions name every visible subcommand and flag the parser takes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/cli/completion.hpp"
#include "harness/cli/man_page.hpp"
#include "harness/cli/options.hpp"

namespace sockspec::cli {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const CommandDoc& command(const ProgramDoc& doc, const std::string& name) {
  const auto it = std::find_if(doc.commands.begin(), doc.commands.end(),
                               [&name](const CommandDoc& c) { return c.name == name; });
  if (it == doc.commands.end()) throw std::runtime_error("no command " + name);
  return *it;
}

const FlagDoc& flag(const CommandDoc& c, const std::string& name) {
  const auto it = std::find_if(c.flags.begin(), c.flags.end(), [&name](const FlagDoc& f) {
    return std::find(f.names.begin(), f.names.end(), name) != f.names.end();
  });
  if (it == c.flags.end()) throw std::runtime_error("no flag " + name + " in " + c.name);
  return *it;
}

TEST(CommandLineDoc, ListsTheVisibleCommandsNotTheHiddenOnes) {
  const ProgramDoc doc = describe_command_line();
  std::vector<std::string> names;
  for (const CommandDoc& c : doc.commands) names.push_back(c.name);
  EXPECT_THAT(names, ElementsAre("run", "list", "profiles", "validate", "show", "fuzz", "report"));
  EXPECT_EQ(doc.commands.back().subcommand, "merge");
  EXPECT_NO_THROW((void)flag(doc.commands.back(), "--junit"));
  std::vector<std::string> top;
  for (const FlagDoc& f : doc.flags) top.insert(top.end(), f.names.begin(), f.names.end());
  EXPECT_THAT(top, Contains("--version"));
  EXPECT_THAT(top, Contains("--help"));
}

// The target flags are defined once for run and fuzz: the same help (run adds its own note and
// "Repeatable."), the same choices; run takes each many times, fuzz once.
TEST(CommandLineDoc, RunAndFuzzShareTheTargetFlags) {
  const ProgramDoc doc = describe_command_line();
  const CommandDoc& run = command(doc, "run");
  const CommandDoc& fuzz = command(doc, "fuzz");
  for (const std::string name : {"--target", "--cmd", "--ready", "--connect", "--family"}) {
    const FlagDoc& in_run = flag(run, name);
    const FlagDoc& in_fuzz = flag(fuzz, name);
    const std::string shared = in_fuzz.help.substr(0, in_fuzz.help.find(". ") + 1);
    EXPECT_THAT(in_run.help, ::testing::StartsWith(shared)) << name;
    EXPECT_EQ(in_run.choices, in_fuzz.choices) << name;
    EXPECT_EQ(in_run.repeatable, name != "--ready") << name;
    EXPECT_FALSE(in_fuzz.repeatable) << name;
  }
  EXPECT_THAT(flag(run, "--target").help, HasSubstr("A glob names several"));
  EXPECT_THAT(flag(fuzz, "--target").help, HasSubstr("restarted after each death or hang"));
  EXPECT_THAT(flag(run, "--ready").choices, Contains("tcp-probe"));
}

TEST(CommandLineDoc, DescribesValuesChoicesRepeatsAndProfiles) {
  const ProgramDoc doc = describe_command_line();
  const CommandDoc& run = command(doc, "run");
  EXPECT_THAT(flag(run, "--color").choices, ElementsAre("auto", "always", "never"));
  EXPECT_THAT(flag(run, "--transport").choices, ElementsAre("tcp", "udp"));
  EXPECT_TRUE(flag(run, "--target").profiles);
  EXPECT_TRUE(flag(run, "-t").repeatable);
  EXPECT_FALSE(flag(run, "--shard").repeatable);
  EXPECT_EQ(flag(run, "--strict").value, "");
  EXPECT_NE(flag(run, "--shard").value, "");
  EXPECT_TRUE(flag(run, "paths").positional);
  EXPECT_THAT(flag(run, "--strict").help, HasSubstr("SHOULD"));
  EXPECT_THAT(run.footer, HasSubstr("130 interrupted"));
}

TEST(ManPage, HoldsEveryCommandFlagAndVariable) {
  const ProgramDoc doc = describe_command_line();
  const std::string page = man_page(doc, "9.8.7");
  EXPECT_THAT(page, HasSubstr(".TH SOCKSPEC 1 \"\" \"sockspec 9.8.7\""));
  EXPECT_THAT(page, HasSubstr(".SH ENVIRONMENT\n.TP\n.B SOCKSPEC_PACK_DIR\n"));
  EXPECT_THAT(page, HasSubstr(".B SOCKSPEC_PROFILE_DIR\n"));
  EXPECT_THAT(page, HasSubstr(".SH EXIT STATUS\n"));
  for (const CommandDoc& c : doc.commands) {
    SCOPED_TRACE(c.name);
    const std::string words = c.subcommand.empty() ? c.name : c.name + " " + c.subcommand;
    EXPECT_THAT(page, HasSubstr(".SS " + words + "\n"));
    for (const FlagDoc& f : c.flags) {
      for (const std::string& n : f.names) EXPECT_THAT(page, HasSubstr(roff_escape(n)));
    }
  }
  EXPECT_THAT(page, Not(HasSubstr(".SS completion")));
}

TEST(ManPage, EscapesWhatRoffWouldReadAsMarkup) {
  EXPECT_EQ(roff_escape("--json -"), "\\-\\-json \\-");
  EXPECT_EQ(roff_escape(".hidden\n'quote"), "\\&.hidden\n\\&'quote");
  EXPECT_EQ(roff_escape("a\\r\\n"), "a\\er\\en");
  EXPECT_EQ(roff_escape("end."), "end.");
}

TEST(BashCompletion, OffersCommandsFlagsAndChoices) {
  const ProgramDoc doc = describe_command_line();
  const std::string script = bash_completion(doc);
  EXPECT_THAT(script, HasSubstr("complete -o filenames -F _sockspec sockspec\n"));
  EXPECT_THAT(script, HasSubstr("'run list profiles validate show fuzz "));
  EXPECT_THAT(script, HasSubstr("\"run --color\") COMPREPLY=($(compgen -W 'auto always never'"));
  EXPECT_THAT(script, HasSubstr("\"run --target\"|\"run -t\") COMPREPLY=($(compgen -W \"$("));
  for (const CommandDoc& c : doc.commands) {
    for (const FlagDoc& f : c.flags) {
      if (f.positional) continue;
      for (const std::string& n : f.names) {
        SCOPED_TRACE(c.name + " " + n);
        EXPECT_THAT(script, HasSubstr(" " + n));
      }
    }
  }
}

TEST(ZshCompletion, DescribesCommandsAndFlags) {
  const ProgramDoc doc = describe_command_line();
  const std::string script = zsh_completion(doc);
  EXPECT_EQ(script.rfind("#compdef sockspec\n", 0), 0U);
  EXPECT_THAT(script, HasSubstr("'run:Run scenarios against targets and report verdicts.'"));
  EXPECT_THAT(script, HasSubstr("'*'{--target,-t}'[A target profile\\: a file"));
  EXPECT_THAT(script, HasSubstr(":color:(auto always never)'"));
  EXPECT_THAT(script, HasSubstr("'--strict[Treat a failed SHOULD as a failure (exit 1).]'"));
  for (const CommandDoc& c : doc.commands) {
    EXPECT_THAT(script, HasSubstr("        " + c.name + ") _arguments -s"));
  }
}

}  // namespace
}  // namespace sockspec::cli
