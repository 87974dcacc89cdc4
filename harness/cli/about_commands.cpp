// The commands about the tool itself: --version, profiles, completion and man (the others are in
// commands.cpp and run_command.cpp).
#include <fmt/format.h>

#include <cstdio>

#include "harness/cli/commands.hpp"
#include "harness/cli/completion.hpp"
#include "harness/cli/listing.hpp"
#include "harness/cli/man_page.hpp"
#include "harness/cli/pack.hpp"
#include "harness/cli/project_version.hpp"

namespace sockspec::cli {

std::string_view tool_version() {
  return kVersion;
}

std::string version_text() {
  const std::string pack = pack_dir();
  return fmt::format("sockspec {} (pack {})\npack: {}\nprofiles: {}", kVersion, pack_revision(pack),
                     pack, profile_dir());
}

int profiles_command(const ProfilesOptions& options) {
  net::Result<std::vector<BuiltinProfile>> builtins = builtin_profiles();
  if (!builtins) {
    fmt::print(stderr, "sockspec: {}\n", builtins.error().message);
    return kExitUsage;
  }
  std::vector<target::Profile> profiles;
  bool ok = true;
  for (const BuiltinProfile& b : *builtins) {
    net::Result<target::Profile> p = target::load_profile_file(b.file);
    if (p) {
      profiles.push_back(std::move(p).value());
    } else {
      fmt::print(stderr, "{}\n", p.error().message);
      ok = false;
    }
  }
  if (!ok) return kExitUsage;
  fmt::print("{}", options.json ? profiles_json(profiles) : profiles_table(profiles));
  if (!options.json) {
    std::fflush(stdout);  // the count after the table, even with both streams in one pipe
    fmt::print(stderr, "{} profile{} in {}\n", profiles.size(), profiles.size() == 1 ? "" : "s",
               profile_dir());
  }
  return kExitOk;
}

int completion_command(const CompletionOptions& options) {
  const ProgramDoc doc = describe_command_line();
  fmt::print("{}", options.shell == "zsh" ? zsh_completion(doc) : bash_completion(doc));
  return kExitOk;
}

int man_command() {
  fmt::print("{}", man_page(describe_command_line(), kVersion));
  return kExitOk;
}

}  // namespace sockspec::cli
