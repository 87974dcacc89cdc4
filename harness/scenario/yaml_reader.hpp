// YamlReader: typed access to yaml-cpp nodes that turns every problem into "file:line:col:
// message".
//
// Within a scope the first error wins and is kept; later calls still return (default) values so
// that parsing code reads straight through without cascades, and the caller checks error() once at
// the end. Parts that do not depend on each other (top-level keys, steps) are read
// independently(): each scope keeps its own first error, so one file reports all of its
// independent errors, up to kMaxErrors. Not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"
#include "targets/net/result.hpp"

namespace sockspec::scenario {

// The candidate closest to `word` when it is close enough to be a likely typo, else empty.
[[nodiscard]] std::string_view closest(std::string_view word,
                                       std::span<const std::string_view> candidates);
// " (did you mean 'x'?)" or "" (see closest()).
[[nodiscard]] std::string did_you_mean(std::string_view word,
                                       std::span<const std::string_view> candidates);

// Where a second YAML document starts in `text`, if there is one (a null mark when its position
// is unknown). Not YAML::LoadAll: in yaml-cpp 0.7 it can loop forever, allocating, on malformed
// input such as a leading ',' (fixed upstream in jbeder/yaml-cpp#1319); two bounded
// HandleNextDocument calls cannot.
[[nodiscard]] std::optional<YAML::Mark> second_document_start(std::string_view text);

// The most YAML nodes a document may expand to, each alias counted as the nodes it repeats: far
// above any real scenario or profile, far below what a small "billion laughs" text becomes.
inline constexpr std::size_t kMaxYamlNodes = 100000;

// The most errors one file reports; a last line says when there were more.
inline constexpr std::size_t kMaxErrors = 100;

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // No error in the current scope (nor, once its scopes have ended, in any of them).
  [[nodiscard]] bool ok() const { return !scope_failed_; }
  // Every error recorded, one "file:line:col: message" per line, in reading order; nullopt when
  // there is none.
  [[nodiscard]] std::optional<net::Error> error() const;
  [[nodiscard]] const std::string& file() const { return file_; }

  // Runs `read` in a scope of its own: it starts without error whatever failed before, keeps its
  // own first error, and leaves the enclosing scope failed if it failed.
  template <class Read>
  void independently(Read&& read) {
    const bool outer_failed = scope_failed_;
    scope_failed_ = errors_.size() > kMaxErrors;  // past the bound: nothing more is read
    read();
    scope_failed_ = outer_failed || scope_failed_;
  }

  // Records an error unless `root`, with every alias expanded, has at most kMaxYamlNodes nodes;
  // stops counting there, so its cost is bounded whatever the aliases multiply to. Call it
  // before reading a document: reading follows the aliases.
  bool check_expansion(const YAML::Node& root);

  // Records "file:line:col: message" at `at` unless the current scope has an error already.
  void fail(const YAML::Node& at, std::string_view message);
  void fail(const YAML::Mark& at, std::string_view message);
  void fail(const SourceLocation& at, std::string_view message);
  // Records what yaml-cpp threw while parsing: "YAML syntax error: ...", or the nesting limit
  // (which yaml-cpp calls "bad file").
  void fail_parse(const YAML::Exception& e);
  [[nodiscard]] SourceLocation where(const YAML::Node& node) const;

  // True if `node` is a map (or empty: `connect:`) whose keys are all in `allowed`, each once;
  // otherwise records a wrong-type error, or an unknown-key / duplicate-key error for each bad
  // key. `what` names the map in
  // messages ("send").
  bool check_map(const YAML::Node& node, std::string_view what,
                 std::span<const std::string_view> allowed);
  bool check_map(const YAML::Node& node, std::string_view what,
                 std::initializer_list<std::string_view> allowed) {
    return check_map(node, what,
                     std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  // The value of `key` in `map`, records "missing field" if absent.
  YAML::Node required(const YAML::Node& map, std::string_view key, std::string_view what);

  // Typed values; `key` names the value in "expected ..." messages.
  std::string string(const YAML::Node& node, std::string_view key);
  bool boolean(const YAML::Node& node, std::string_view key);
  std::uint64_t unsigned_int(const YAML::Node& node, std::string_view key, std::uint64_t max);
  int signed_int(const YAML::Node& node, std::string_view key, int min, int max);
  // A list of strings; a single scalar is not accepted (write [x]).
  std::vector<std::string> string_list(const YAML::Node& node, std::string_view key);
  // A value checked by a parser from units.hpp: its error becomes this node's error.
  template <class T, class Parse>
  T parsed(const YAML::Node& node, std::string_view key, Parse parse) {
    const std::string text = string(node, key);
    if (!ok()) return T{};
    net::Result<T> r = parse(text);
    if (!r) {
      fail(node, r.error().message);
      return T{};
    }
    return std::move(r).value();
  }
  // One of `choices`, else "bad value 'x' for 'key': expected one of a, b (did you mean ...)".
  std::string choice(const YAML::Node& node, std::string_view key,
                     std::span<const std::string_view> choices);
  std::string choice(const YAML::Node& node, std::string_view key,
                     std::initializer_list<std::string_view> choices) {
    return choice(node, key, std::span<const std::string_view>(choices.begin(), choices.size()));
  }

  // "a string", "a list", "a map", "nothing": for "expected X, got Y" messages.
  static std::string_view kind_of(const YAML::Node& node);

 private:
  bool expect_scalar(const YAML::Node& node, std::string_view key, std::string_view expected);

  void record(std::string message);

  std::string file_;
  std::vector<std::string> errors_;
  bool scope_failed_ = false;
};

}  // namespace sockspec::scenario
