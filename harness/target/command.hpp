// TargetCommand: a program to run as a value (argv and added environment) that prints itself as
// a shell line, so every report carries the exact command a user can paste to reproduce.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/scenario/data.hpp"
#include "targets/net/result.hpp"

namespace sockspec::target {

struct TargetCommand {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;
  // "PORT=0 /path/sockspec-server --model epoll --bind ::1", each word shell-quoted as needed.
  [[nodiscard]] std::string to_string() const;
  bool operator==(const TargetCommand&) const = default;
};

// Renders each argv word and env value with `vars` ({port} -> "0"); an unknown or missing
// placeholder is an error naming it.
[[nodiscard]] net::Result<TargetCommand> render_command(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    const scenario::TemplateVars& vars);

// The placeholders a profile's argv and env may use (profile.hpp): bindir, service, transports,
// transport, host, port, family, connect, args.
[[nodiscard]] std::span<const std::string_view> profile_placeholders();
// Template syntax as scenario::render ("{name}", "{{" a literal "{"); an unknown name is an error:
// "unknown placeholder '{prot}' (did you mean '{port}'?)".
[[nodiscard]] net::Status check_profile_template(std::string_view text);
// True if `text` uses placeholder `name` ("port").
[[nodiscard]] bool uses_placeholder(std::string_view text, std::string_view name);

// Splits a command line like a POSIX shell: words, '...' and "..." quoting, backslash escapes;
// no expansion. An unterminated quote is an error.
[[nodiscard]] net::Result<std::vector<std::string>> split_command_line(std::string_view line);

}  // namespace sockspec::target
