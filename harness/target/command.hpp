// TargetCommand: a program to run as a value (argv and added environment) that prints itself as
// a shell line, so every report carries the exact command a user can paste to reproduce.
#pragma once

#include <string>
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

// Splits a command line like a POSIX shell: words, '...' and "..." quoting, backslash escapes;
// no expansion. An unterminated quote is an error.
[[nodiscard]] net::Result<std::vector<std::string>> split_command_line(std::string_view line);

}  // namespace sockspec::target
