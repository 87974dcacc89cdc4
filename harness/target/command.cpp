// TargetCommand printing, rendering of profile templates, and POSIX-like command-line splitting.
#include "harness/target/command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "harness/scenario/yaml_reader.hpp"

namespace sockspec::target {
namespace {

constexpr std::array<std::string_view, 10> kPlaceholders = {
    "bindir", "service", "transports", "transport", "host",
    "port",   "family",  "connect",    "args",      "tmpdir"};

// Characters a shell takes literally in an unquoted word.
bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

std::string quote(std::string_view word) {
  if (!word.empty() && std::all_of(word.begin(), word.end(), is_plain)) return std::string(word);
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// The placeholder names of `text` in order, with scenario::render's syntax (data.cpp).
std::vector<std::string_view> names_in(std::string_view text) {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "{{") == 0) {
      i += 2;
      continue;
    }
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] >= 'a' && text[i + 1] <= 'z') {
      std::size_t j = i + 1;
      while (j < text.size() && is_name_char(text[j])) ++j;
      if (j < text.size() && text[j] == '}') {
        names.push_back(text.substr(i + 1, j - i - 1));
        i = j + 1;
        continue;
      }
    }
    ++i;
  }
  return names;
}

}  // namespace

std::string TargetCommand::to_string() const {
  std::string out;
  for (const auto& [name, value] : env) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", name, quote(value));
  }
  for (const std::string& word : argv)
    out += fmt::format("{}{}", out.empty() ? "" : " ", quote(word));
  return out;
}

std::span<const std::string_view> profile_placeholders() {
  return kPlaceholders;
}

net::Status check_profile_template(std::string_view text) {
  for (const std::string_view name : names_in(text)) {
    if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end())
      continue;
    const std::string_view near = scenario::closest(name, kPlaceholders);
    if (!near.empty()) {
      return net::Error{
          fmt::format("unknown placeholder '{{{}}}' (did you mean '{{{}}}'?)", name, near)};
    }
    std::string known;
    for (const std::string_view k : kPlaceholders)
      known += fmt::format("{}{{{}}}", known.empty() ? "" : ", ", k);
    return net::Error{fmt::format("unknown placeholder '{{{}}}': expected one of {}", name, known)};
  }
  return {};
}

bool uses_placeholder(std::string_view text, std::string_view name) {
  const auto names = names_in(text);
  return std::find(names.begin(), names.end(), name) != names.end();
}

net::Result<TargetCommand> render_command(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    const scenario::TemplateVars& vars) {
  TargetCommand out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    net::Result<std::string> word = scenario::render(argv[i], vars);
    if (!word)
      return net::Error{fmt::format("argv[{}] '{}': {}", i, argv[i], word.error().message)};
    out.argv.push_back(std::move(word).value());
  }
  for (const auto& [name, value] : env) {
    net::Result<std::string> v = scenario::render(value, vars);
    if (!v) return net::Error{fmt::format("env {} '{}': {}", name, value, v.error().message)};
    out.env.emplace_back(name, std::move(v).value());
  }
  return out;
}

net::Result<std::vector<std::string>> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i >= line.size()) return net::Error{"command line ends with a lone '\\'"};
      if (line[i] != '\n') word += line[i];  // backslash-newline continues the line
    } else if (c == '\'') {
      const std::size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos)
        return net::Error{fmt::format("unterminated ' quote at column {} of the command", i + 1)};
      word += line.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      const std::size_t open = i;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        // Inside double quotes a backslash escapes only $ ` " \ and newline (POSIX 2.2.3).
        if (line[i] == '\\' && i + 1 < line.size() &&
            std::string_view("$`\"\\\n").find(line[i + 1]) != std::string_view::npos) {
          if (line[++i] != '\n') word += line[i];
        } else {
          word += line[i];
        }
      }
      if (i >= line.size())
        return net::Error{
            fmt::format("unterminated \" quote at column {} of the command", open + 1)};
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace sockspec::target
