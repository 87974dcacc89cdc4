// Reading of the data specs (text, hex, base64, pattern, file) and match specs inside steps.
#include <fmt/format.h>

#include <filesystem>
#include <regex>

#include "harness/scenario/step_reader.hpp"

namespace sockspec::scenario {
namespace {

// `inner` is `outer` or below it (both canonical).
bool inside(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// `path` (symlinks followed) lies inside `base_dir` or one of `roots`; else an error that names
// where it leads and how to allow it.
net::Status check_data_path(const std::string& path, const std::string& base_dir,
                            const DataRoots& roots) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(path, ec);
  if (ec) return net::errno_error(ec.value(), fmt::format("cannot read '{}'", path));
  std::vector<std::string> allowed{base_dir};
  allowed.insert(allowed.end(), roots.begin(), roots.end());
  for (const std::string& root : allowed) {
    const fs::path folder = fs::weakly_canonical(root, ec);
    if (!ec && inside(real, folder)) return {};
  }
  const std::string leads =
      real == fs::path(path) ? std::string() : fmt::format(" (it leads to '{}')", real.string());
  return net::Error{
      fmt::format("'{}'{} is outside the scenario's folder '{}'; --data-root DIR allows "
                  "data from DIR too",
                  path, leads, fs::weakly_canonical(base_dir, ec).string())};
}

}  // namespace

std::optional<DataSpec> StepReader::data(const YAML::Node& map, std::string_view what,
                                         bool required) {
  std::optional<DataSpec> out;
  std::string_view first;
  for (const std::string_view key : kDataKeys) {
    const YAML::Node v = map[std::string(key)];
    if (!v.IsDefined() || !r.ok()) continue;
    if (out) {
      r.fail(v, fmt::format("{} takes one of text, hex, base64, pattern, file; got {} and {}", what,
                            first, key));
      return std::nullopt;
    }
    first = key;
    DataSpec d;
    if (key == "pattern") {
      d.kind = DataKind::pattern;
      if (!r.check_map(v, "pattern", {"size", "seed"})) return std::nullopt;
      d.pattern.size =
          r.parsed<std::uint64_t>(r.required(v, "size", "pattern"), "size", parse_size);
      if (const YAML::Node seed = v["seed"]; seed.IsDefined()) {
        d.pattern.seed = r.unsigned_int(seed, "seed", UINT64_MAX);
      }
    } else {
      const std::string text = r.string(v, key);
      if (!r.ok()) return std::nullopt;
      net::Result<std::string> bytes = std::string();
      if (key == "text") {
        d.kind = DataKind::text;
        bytes = decode_escapes(text);
        if (bytes) {
          if (net::Status s = check_template(*bytes); !s) bytes = s.error();
        }
      } else if (key == "hex") {
        d.kind = DataKind::hex;
        bytes = decode_hex(text);
      } else if (key == "base64") {
        d.kind = DataKind::base64;
        bytes = decode_base64(text);
      } else {
        d.kind = DataKind::file;
        const std::filesystem::path p(text);
        // Absolute, so that to_yaml() writes a path that loads the same bytes from anywhere.
        d.path = std::filesystem::absolute(std::filesystem::path(base_dir) / p)
                     .lexically_normal()
                     .string();
        // Only a regular file: a device or a FIFO (/dev/zero, /dev/stdin) would fill memory
        // or block the loader (found by fuzz/scenario_loader).
        std::error_code ec;
        if (net::Status s = check_data_path(d.path, base_dir, data_roots); !s) {
          bytes = s.error();
        } else if (std::filesystem::exists(d.path, ec) &&
                   !std::filesystem::is_regular_file(d.path, ec)) {
          bytes = net::Error{fmt::format("'{}' is not a regular file", d.path)};
        } else {
          bytes = read_file_bytes(d.path, kMaxSize);
        }
      }
      if (!bytes) {
        r.fail(v, bytes.error().message);
        return std::nullopt;
      }
      d.bytes = std::move(bytes).value();
    }
    out = std::move(d);
  }
  if (!out && required && r.ok()) {
    r.fail(map, fmt::format("{} needs one of text, hex, base64, pattern, file", what));
  }
  return out;
}

Match StepReader::match(const YAML::Node& map, std::string_view what) {
  std::vector<std::pair<std::string_view, YAML::Node>> present;
  for (const std::string_view key : kMatchOnly) {
    if (const YAML::Node v = map[std::string(key)]; v.IsDefined()) present.emplace_back(key, v);
  }
  for (const std::string_view key : kDataKeys) {
    if (const YAML::Node v = map[std::string(key)]; v.IsDefined()) present.emplace_back("data", v);
  }
  if (present.empty()) {
    r.fail(map, fmt::format("{} needs one of text, hex, base64, pattern, file, regex, length, "
                            "same-as-sent",
                            what));
    return SameAsSent{};
  }
  const auto& [key, v] = present.front();
  if (present.size() > 1) {
    r.fail(present.back().second, fmt::format("{} takes one expectation; got {} and {}", what,
                                              present.front().first, present.back().first));
    return SameAsSent{};
  }
  if (key == "regex") {
    Regex rx{r.string(v, "regex")};
    if (net::Status t = check_template(rx.regex); !t) {
      r.fail(v, t.error().message);
      return rx;
    }
    try {
      // Placeholders are filled at run time ("{client}"); the pattern must compile once they are.
      (void)std::regex(render(rx.regex, sample_vars()).value(), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {  // std::regex reports a bad pattern only by throwing
      r.fail(v, fmt::format("bad regex '{}': {}", rx.regex, e.what()));
    }
    return rx;
  }
  if (key == "length") {
    const SizeRange range = r.parsed<SizeRange>(v, "length", parse_size_range);
    if (range.min == range.max) return Length{range.min};
    return Length{range.min, range.max};
  }
  if (key == "same-as-sent") {
    if (!r.boolean(v, "same-as-sent") && r.ok())
      r.fail(v, "'same-as-sent': only true is meaningful");
    return SameAsSent{};
  }
  std::optional<DataSpec> d = data(map, what, true);
  return d ? Match{std::move(*d)} : Match{SameAsSent{}};
}

}  // namespace sockspec::scenario
