// YamlReader: typed, located access to yaml-cpp nodes (see yaml_reader.hpp).
#include "harness/scenario/yaml_reader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

namespace sockspec::scenario {
namespace {

// Optimal string alignment distance: Levenshtein plus swaps of adjacent letters ("tpc" -> "tcp").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1fU;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0fU;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07U;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3fU);
    }
    constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

std::string join(std::span<const std::string_view> items) {
  std::string out;
  for (const std::string_view s : items) out += fmt::format("{}{}", out.empty() ? "" : ", ", s);
  return out;
}

}  // namespace

std::string_view closest(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  std::size_t best_distance =
      std::max<std::size_t>(1, std::min<std::size_t>(2, word.size() / 3)) + 1;
  for (const std::string_view c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const std::string_view c = closest(word, candidates);
  return c.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", c);
}

std::optional<net::Error> YamlReader::error() const {
  if (errors_.empty()) return std::nullopt;
  std::string all;
  for (const std::string& e : errors_) all += (all.empty() ? "" : "\n") + e;
  return net::Error{std::move(all)};
}

void YamlReader::record(std::string message) {
  if (scope_failed_) return;
  scope_failed_ = true;
  if (errors_.size() < kMaxErrors) {
    errors_.push_back(std::move(message));
  } else if (errors_.size() == kMaxErrors) {
    errors_.push_back(
        fmt::format("{}: more than {} errors; the rest are not shown", file_, kMaxErrors));
  }
}

void YamlReader::fail(const YAML::Mark& at, std::string_view message) {
  // An empty document has no mark (-1): report it at 1:1.
  record(fmt::format("{}:{}:{}: {}", file_, std::max(at.line, 0) + 1, std::max(at.column, 0) + 1,
                     message));
}

void YamlReader::fail_parse(const YAML::Exception& e) {
  if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) {
    fail(e.mark, "YAML nested too deeply (yaml-cpp's parser stops here)");
  } else {
    fail(e.mark, fmt::format("YAML syntax error: {}", e.msg));
  }
}

void YamlReader::fail(const SourceLocation& at, std::string_view message) {
  record(fmt::format("{}:{}:{}: {}", at.file, at.line, at.column, message));
}

void YamlReader::fail(const YAML::Node& at, std::string_view message) {
  fail(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), message);
}

SourceLocation YamlReader::where(const YAML::Node& node) const {
  const YAML::Mark m = node.Mark();
  return SourceLocation{file_, m.line + 1, m.column + 1};
}

std::string_view YamlReader::kind_of(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsScalar()) return "a string";
  if (node.IsSequence()) return "a list";
  return "a map";
}

bool YamlReader::check_map(const YAML::Node& node, std::string_view what,
                           std::span<const std::string_view> allowed) {
  if (!ok()) return false;
  if (node.IsNull()) return true;
  if (!node.IsMap()) {
    fail(node, fmt::format("{}: expected a map, got {}", what, kind_of(node)));
    return false;
  }
  std::map<std::string, YAML::Mark, std::less<>> seen;
  // Each key is checked on its own: a map with two unknown keys reports both.
  for (const auto& kv : node) {
    independently([&] {
      if (!kv.first.IsScalar())
        return fail(kv.first, fmt::format("{}: keys must be strings", what));
      const std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        const std::string hint = did_you_mean(key, allowed);
        return fail(kv.first, hint.empty()
                                  ? fmt::format("unknown key '{}' in {} (expected one of: {})", key,
                                                what, join(allowed))
                                  : fmt::format("unknown key '{}' in {}{}", key, what, hint));
      }
      if (const auto it = seen.find(key); it != seen.end()) {
        return fail(kv.first, fmt::format("duplicate key '{}' in {} (first at {}:{})", key, what,
                                          it->second.line + 1, it->second.column + 1));
      }
      seen.emplace(key, kv.first.Mark());
    });
  }
  return ok();
}

YAML::Node YamlReader::required(const YAML::Node& map, std::string_view key,
                                std::string_view what) {
  if (!ok() || !(map.IsMap() || map.IsNull())) return YAML::Node();
  YAML::Node value = map[std::string(key)];
  if (!value.IsDefined()) {
    fail(map, fmt::format("missing field '{}' in {}", key, what));
    return YAML::Node();
  }
  return value;
}

bool YamlReader::expect_scalar(const YAML::Node& node, std::string_view key,
                               std::string_view expected) {
  if (!ok()) return false;
  if (node.IsScalar()) return true;
  fail(node, fmt::format("'{}': expected {}, got {}", key, expected, kind_of(node)));
  return false;
}

std::string YamlReader::string(const YAML::Node& node, std::string_view key) {
  if (!expect_scalar(node, key, "a string")) return {};
  if (!valid_utf8(node.Scalar())) {
    fail(node, fmt::format("'{}': not valid UTF-8 (write other bytes as \\xHH in text, or use hex)",
                           key));
    return {};
  }
  return node.Scalar();
}

bool YamlReader::boolean(const YAML::Node& node, std::string_view key) {
  if (!expect_scalar(node, key, "true or false")) return false;
  if (node.Scalar() == "true") return true;
  if (node.Scalar() != "false") {
    fail(node, fmt::format("'{}': expected true or false, got '{}'", key, node.Scalar()));
  }
  return false;
}

std::uint64_t YamlReader::unsigned_int(const YAML::Node& node, std::string_view key,
                                       std::uint64_t max) {
  if (!expect_scalar(node, key, "a whole number")) return 0;
  const std::string& s = node.Scalar();
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) {
    fail(node, fmt::format("'{}': expected a whole number from 0 to {}, got '{}'", key, max, s));
    return 0;
  }
  return v;
}

int YamlReader::signed_int(const YAML::Node& node, std::string_view key, int min, int max) {
  if (!expect_scalar(node, key, "a whole number")) return 0;
  const std::string& s = node.Scalar();
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
    fail(node,
         fmt::format("'{}': expected a whole number from {} to {}, got '{}'", key, min, max, s));
    return 0;
  }
  return v;
}

std::vector<std::string> YamlReader::string_list(const YAML::Node& node, std::string_view key) {
  std::vector<std::string> out;
  if (!ok()) return out;
  if (!node.IsSequence()) {
    fail(node, fmt::format("'{}': expected a list, got {}", key, kind_of(node)));
    return out;
  }
  for (const auto& item : node) out.push_back(string(item, key));
  return out;
}

std::string YamlReader::choice(const YAML::Node& node, std::string_view key,
                               std::span<const std::string_view> choices) {
  std::string v = string(node, key);
  if (!ok() || std::find(choices.begin(), choices.end(), v) != choices.end()) return v;
  fail(node, fmt::format("bad value '{}' for '{}': expected one of {}{}", v, key, join(choices),
                         did_you_mean(v, choices)));
  return {};
}

bool YamlReader::check_expansion(const YAML::Node& root) {
  std::vector<YAML::Node> pending{root};
  std::size_t seen = 0;
  while (!pending.empty()) {
    const YAML::Node node = std::move(pending.back());
    pending.pop_back();
    if (++seen > kMaxYamlNodes) {
      fail(node, fmt::format("the document expands to more than {} YAML nodes (its aliases repeat "
                             "what they name): refused",
                             kMaxYamlNodes));
      return false;
    }
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) pending.push_back(item);
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        pending.push_back(kv.first);
        pending.push_back(kv.second);
      }
    }
  }
  return true;
}

// Where a second YAML document starts, if there is one. Not YAML::LoadAll: in yaml-cpp 0.7 it
// can loop forever, allocating, on malformed input such as a leading ',' (fixed upstream in
// jbeder/yaml-cpp#1319); two bounded HandleNextDocument calls cannot.
std::optional<YAML::Mark> second_document_start(std::string_view text) {
  struct Starts : YAML::EventHandler {
    std::vector<YAML::Mark> marks;
    void OnDocumentStart(const YAML::Mark& m) override { marks.push_back(m); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
  };
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  Starts starts;
  if (!parser.HandleNextDocument(starts) || !parser.HandleNextDocument(starts)) return std::nullopt;
  return starts.marks.size() > 1 ? starts.marks[1] : YAML::Mark::null_mark();
}

}  // namespace sockspec::scenario
