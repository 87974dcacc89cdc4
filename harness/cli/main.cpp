// sockspec: runs conformance scenarios against TCP/UDP servers and clients (`run`, `list`,
// `validate`, `show`, `fuzz`). Exit codes: ARCHITECTURE.md.
#include <CLI/CLI.hpp>

#include "harness/cli/commands.hpp"
#include "harness/cli/options.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::cli;
  CLI::App app{"sockspec: proves that a TCP/UDP server or client gets sockets right."};
  app.require_subcommand(1);
  RunOptions run;
  ValidateOptions validate;
  ListOptions list;
  ShowOptions show;
  FuzzOptions fuzz;
  add_run_options(*app.add_subcommand("run", "Run scenarios against targets and report verdicts."),
                  run);
  add_list_options(*app.add_subcommand("list", "List the scenarios a selection picks."), list);
  add_validate_options(
      *app.add_subcommand("validate", "Check scenario and profile files; print every error."),
      validate);
  add_show_options(*app.add_subcommand("show", "Print the selected scenarios as loaded (YAML)."),
                   show);
  add_fuzz_options(
      *app.add_subcommand("fuzz",
                          "Fuzz a live server: send it mutated inputs and report crashes, hangs "
                          "and wrong answers as replayable scenarios."),
      fuzz);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);  // the message and a usage hint, on stderr
    return kExitUsage;
  }
  const std::string name = app.get_subcommands().front()->get_name();
  if (name == "run") return run_command(run);
  if (name == "list") return list_command(list);
  if (name == "validate") return validate_command(validate);
  if (name == "fuzz") return fuzz_command(fuzz);
  return show_command(show);
}
