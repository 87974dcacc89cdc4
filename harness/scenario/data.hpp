// Data specs of scenario files (text, hex, base64, pattern, file) and {placeholder} templating.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "targets/net/result.hpp"

namespace sockspec::scenario {

enum class DataKind { text, hex, base64, pattern, file };

// A deterministic pseudo-random payload: `size` bytes from `seed`.
struct Pattern {
  std::uint64_t size = 0;
  std::uint64_t seed = 0;
  bool operator==(const Pattern&) const = default;
};

// Bytes as a scenario names them. Decoded at load time, except patterns (generated on demand, as
// they may be large) and the placeholders of text (rendered at run time by `materialise`).
struct DataSpec {
  DataKind kind = DataKind::text;
  // text: escapes decoded, placeholders kept ("{client}", "{{" for a literal brace);
  // hex, base64, file: the decoded bytes; pattern: empty.
  std::string bytes;
  Pattern pattern;   // pattern only
  std::string path;  // file only: the path as resolved against the scenario's folder
  bool operator==(const DataSpec&) const = default;
};

// Values of placeholders at run time: "client" -> "3", "target.port" -> "41234".
using TemplateVars = std::map<std::string, std::string, std::less<>>;

// The placeholders a scenario may use: client, seq, seed, peer, target.host, target.port,
// target.addr, listen.host, listen.port, listen.addr.
[[nodiscard]] std::span<const std::string_view> known_placeholders();

// C-style escapes \n \r \t \0 \\ \xHH; anything else after a backslash is an error.
[[nodiscard]] net::Result<std::string> decode_escapes(std::string_view text);
// The inverse: printable ASCII stays, everything else becomes an escape.
[[nodiscard]] std::string encode_escapes(std::string_view bytes);
// Pairs of hex digits, either case; spaces (and newlines) between pairs are ignored.
[[nodiscard]] net::Result<std::string> decode_hex(std::string_view text);
[[nodiscard]] std::string encode_hex(std::string_view bytes);
// RFC 4648 base64 with padding; whitespace is ignored.
[[nodiscard]] net::Result<std::string> decode_base64(std::string_view text);
[[nodiscard]] std::string encode_base64(std::string_view bytes);

// The bytes of a pattern: the first 256 are a seed-dependent permutation of 0..255 (so every byte
// value appears once size >= 256), then a splitmix64 stream. Same (size, seed), same bytes.
[[nodiscard]] std::string generate_pattern(const Pattern& p);
// The seed of parallel client `client` (0-based), derived from the scenario's seed.
[[nodiscard]] std::uint64_t client_seed(std::uint64_t scenario_seed, std::uint64_t client);

// Template syntax: "{name}" with name in known_placeholders(); "{{" is a literal "{". Any other "{"
// (not followed by a name and "}") is literal. An unknown name is an error naming it.
[[nodiscard]] net::Status check_template(std::string_view text);
[[nodiscard]] bool has_placeholders(std::string_view text);
// Replaces placeholders by their values; a placeholder without a value is an error.
[[nodiscard]] net::Result<std::string> render(std::string_view text, const TemplateVars& vars);

// The bytes a step sends or expects: text rendered with `vars`, patterns generated.
[[nodiscard]] net::Result<std::string> materialise(const DataSpec& spec, const TemplateVars& vars);

// The whole content of a regular file of at most `limit` bytes; errors name the path and errno.
// Anything else (a FIFO, a device such as /dev/zero, a folder) is refused at once, without
// waiting for a writer or reading past `limit`.
[[nodiscard]] net::Result<std::string> read_file_bytes(const std::string& path,
                                                       std::uint64_t limit);

// Folders a scenario's `file:` data may also come from (`--data-root DIR`). Without them it is
// confined to the scenario's own folder and below: a pack from elsewhere cannot send the
// harness's files (../../etc/shadow, /proc/self/mem) to the target.
using DataRoots = std::vector<std::string>;

}  // namespace sockspec::scenario
