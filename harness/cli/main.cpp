// sockspec: runs conformance scenarios against TCP/UDP servers and clients (`run`, `list`,
// `profiles`, `validate`, `show`, `fuzz`, `report merge`; hidden: `completion`, `man`). Exit codes:
// commands.hpp.
#include "harness/cli/commands.hpp"
#include "harness/cli/options.hpp"

int main(int argc, char** argv) {
  using namespace sockspec::cli;
  const CommandLine c = parse_command_line(argc, argv);
  if (c.exit_code) return *c.exit_code;
  if (c.command == "run") return run_command(c.run);
  if (c.command == "list") return list_command(c.list);
  if (c.command == "validate") return validate_command(c.validate);
  if (c.command == "fuzz") return fuzz_command(c.fuzz);
  if (c.command == "report merge") return report_merge_command(c.report_merge);
  if (c.command == "profiles") return profiles_command(c.profiles);
  if (c.command == "completion") return completion_command(c.completion);
  if (c.command == "man") return man_command();
  return show_command(c.show);
}
