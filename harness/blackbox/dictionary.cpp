// Dictionaries in libFuzzer/AFL format (declared in mutator.hpp, which uses them).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include "harness/blackbox/mutator.hpp"
#include "harness/scenario/data.hpp"

namespace sockspec::blackbox {
namespace {

// A dictionary file larger than this is not a dictionary (libFuzzer's are a few KiB).
constexpr std::uint64_t kMaxDictionaryFile = 1 << 20;
// One `name="value"` or `"value"` line, already trimmed; the value's escapes decoded.
net::Result<std::string> parse_entry(std::string_view line) {
  const std::size_t open = line.find('"');
  if (open == std::string_view::npos) return net::Error{"expected a quoted value"};
  if (open != 0) {
    // name, optionally "@level" (AFL), then '=' right before the quote.
    std::string_view head = line.substr(0, open);
    while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.remove_suffix(1);
    if (head.empty() || head.back() != '=') return net::Error{"expected '=' before the value"};
    head.remove_suffix(1);
    const bool valid_name = !head.empty() && std::all_of(head.begin(), head.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '@' || c == '-' || c == '.' || c == ' ' || c == '\t';
    });
    if (!valid_name) return net::Error{fmt::format("bad entry name '{}'", head)};
  }
  if (line.size() < open + 2 || line.back() != '"') {
    return net::Error{"expected the value to end with '\"'"};
  }
  const std::string_view body = line.substr(open + 1, line.size() - open - 2);
  std::string value;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '"') return net::Error{fmt::format("unescaped '\"' at column {}", open + i + 2)};
    if (c != '\\') {
      value.push_back(c);
      continue;
    }
    if (i + 1 >= body.size()) return net::Error{"'\\' at the end of the value"};
    const char e = body[++i];
    if (e == '\\' || e == '"') {
      value.push_back(e);
    } else if (e == 'x') {
      unsigned int byte = 0;
      const char* first = body.data() + i + 1;
      const bool two_digits = i + 2 < body.size();
      const auto [end, ec] = std::from_chars(first, first + (two_digits ? 2 : 0), byte, 16);
      if (!two_digits || ec != std::errc{} || end != first + 2) {
        return net::Error{fmt::format("bad escape '\\x{}'", body.substr(i + 1, 2))};
      }
      value.push_back(static_cast<char>(byte));
      i += 2;
    } else {
      return net::Error{fmt::format("unknown escape '\\{}' (use \\\\, \\\" or \\xHH)", e)};
    }
  }
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

net::Result<Dictionary> parse_dictionary(std::string_view text, const std::string& name) {
  Dictionary dict;
  std::set<std::string, std::less<>> seen;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    const std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') continue;
    net::Result<std::string> value = parse_entry(line);
    if (!value) return net::Error{fmt::format("{}:{}: {}", name, line_no, value.error().message)};
    // An empty token inserts nothing; duplicates only skew the choice.
    if (value->empty() || !seen.insert(*value).second) continue;
    dict.entries.push_back(std::move(value).value());
  }
  return dict;
}

net::Result<Dictionary> load_dictionary(const std::string& path) {
  net::Result<std::string> text = scenario::read_file_bytes(path, kMaxDictionaryFile);
  if (!text) return text.error();
  return parse_dictionary(*text, path);
}

}  // namespace sockspec::blackbox
