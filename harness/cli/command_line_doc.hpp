// The `sockspec` command line as plain data, described from the parser's own definitions
// (options.cpp): what the man page and the shell completions are generated from.
#pragma once

#include <string>
#include <vector>

#include "harness/cli/pack.hpp"

namespace sockspec::cli {

// One flag or positional argument.
struct FlagDoc {
  std::vector<std::string> names;    // "--target", "-t"; a positional: its one name ("paths")
  std::string value;                 // the kind of value it takes ("TEXT"); empty: takes none
  std::vector<std::string> choices;  // the values it accepts, when they are a fixed set
  bool profiles = false;             // takes a built-in profile's name (or a file)
  bool repeatable = false;           // may be given more than once
  bool positional = false;
  std::string help;  // sentences
};

struct CommandDoc {
  std::string name;        // "run"
  std::string subcommand;  // the word after it, for a command of two words ("report merge")
  std::string help;        // one sentence
  std::string footer;      // more text after the flags (exit codes), or empty
  std::vector<FlagDoc> flags;
};

struct ProgramDoc {
  std::string name;            // "sockspec"
  std::string help;            // one sentence
  std::string about;           // a paragraph: what the program does
  std::vector<FlagDoc> flags;  // the flags before a subcommand (--help, --version)
  std::vector<CommandDoc> commands;
  std::vector<EnvVar> environment;
  std::string exit_codes;  // what each exit code means
};

}  // namespace sockspec::cli
