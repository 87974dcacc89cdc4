// Decoding of data specs, the pattern generator and placeholder templating.
#include "harness/scenario/data.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <iterator>
#include <numeric>
#include <utility>

#include "targets/net/fd.hpp"

namespace sockspec::scenario {
namespace {

using net::Error;

constexpr std::array<std::string_view, 10> kPlaceholders = {
    "client",      "seq",         "seed",        "peer",        "target.host",
    "target.port", "target.addr", "listen.host", "listen.port", "listen.addr"};

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// splitmix64 (Steele, Lea, Flood 2014): fast, and every seed gives a full-period stream.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// If text[i] starts "{name}" or "{name:W}" (W: 1 or 2 digits, a width), what is between the
// braces; else empty.
std::string_view placeholder_at(std::string_view text, std::size_t i) {
  if (text[i] != '{' || i + 1 >= text.size() || text[i + 1] < 'a' || text[i + 1] > 'z') return {};
  std::size_t j = i + 1;
  while (j < text.size() && is_name_char(text[j])) ++j;
  if (j + 1 < text.size() && text[j] == ':') {
    std::size_t k = j + 1;
    while (k < text.size() && k < j + 3 && text[k] >= '0' && text[k] <= '9') ++k;
    if (k > j + 1) j = k;
  }
  if (j >= text.size() || text[j] != '}') return {};
  return text.substr(i + 1, j - i - 1);
}

// "client:3" -> {"client", 3}; "client" -> {"client", 0}.
std::pair<std::string_view, std::size_t> split_width(std::string_view placeholder) {
  const std::size_t colon = placeholder.find(':');
  if (colon == std::string_view::npos) return {placeholder, 0};
  std::size_t width = 0;
  for (char c : placeholder.substr(colon + 1))
    width = width * 10 + static_cast<std::size_t>(c - '0');
  return {placeholder.substr(0, colon), width};
}

// The placeholders that take a width: numbers, zero-padded ("{client:3}" is "007" for client 7),
// so that a binary protocol's length fields stay fixed whatever the client (DNS labels, MQTT).
constexpr std::string_view kNumbered[] = {"client", "seq", "seed"};

// Walks a template: literal pieces to `literal`, names to `name`; stops at the first error.
template <class Literal, class Name>
net::Status walk_template(std::string_view text, Literal literal, Name name) {
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "{{") == 0) {
      literal('{');
      i += 2;
      continue;
    }
    if (const std::string_view n = placeholder_at(text, i); !n.empty()) {
      if (net::Status s = name(n); !s) return s;
      i += n.size() + 2;
      continue;
    }
    literal(text[i++]);
  }
  return {};
}

}  // namespace

std::span<const std::string_view> known_placeholders() {
  return kPlaceholders;
}

net::Result<std::string> decode_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) return Error{"bad escape: text ends with a lone '\\'"};
    const char e = text[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '0':
        out += '\0';
        break;
      case '\\':
        out += '\\';
        break;
      case 'x': {
        const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) return Error{"bad escape '\\x': expected two hex digits after it"};
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      default:
        return Error{
            fmt::format("bad escape '\\{}': expected one of \\n \\r \\t \\0 \\\\ \\xHH", e)};
    }
  }
  return out;
}

std::string encode_escapes(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (u >= 0x20 && u < 0x7f)
      out += c;
    else
      out += fmt::format("\\x{:02x}", u);
  }
  return out;
}

net::Result<std::string> decode_hex(std::string_view text) {
  std::string out;
  int high = -1;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (high >= 0) return Error{"bad hex: a space splits a digit pair"};
      continue;
    }
    const int v = hex_value(c);
    if (v < 0) return Error{fmt::format("bad hex: '{}' is not a hex digit", c)};
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) return Error{"bad hex: odd number of digits"};
  return out;
}

std::string encode_hex(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (!out.empty()) out += ' ';
    out += kHexDigits[u >> 4];
    out += kHexDigits[u & 15];
  }
  return out;
}

net::Result<std::string> decode_base64(std::string_view text) {
  std::string clean;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r') clean += c;
  }
  if (clean.size() % 4 != 0) return Error{"bad base64: length is not a multiple of 4"};
  std::string out;
  for (std::size_t i = 0; i < clean.size(); i += 4) {
    std::uint32_t group = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = clean[i + k];
      const bool last = i + 4 == clean.size();
      if (c == '=' && last && k >= 2 && (k == 3 || clean[i + 3] == '=')) {
        ++pad;
        group <<= 6;
        continue;
      }
      const auto v = kBase64.find(c);
      if (v == std::string_view::npos || pad > 0) {
        return Error{fmt::format("bad base64: '{}' is not in the alphabet", c)};
      }
      group = (group << 6) | static_cast<std::uint32_t>(v);
    }
    out += static_cast<char>((group >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((group >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(group & 0xff);
  }
  return out;
}

std::string encode_base64(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = 0;
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    for (std::size_t k = 0; k < 3; ++k) {
      group <<= 8;
      if (k < n) group |= static_cast<unsigned char>(bytes[i + k]);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= n ? kBase64[(group >> (18 - 6 * k)) & 63] : '=';
    }
  }
  return out;
}

std::string generate_pattern(const Pattern& p) {
  std::string out(p.size, '\0');
  std::uint64_t state = p.seed;
  std::array<unsigned char, 256> perm{};
  std::iota(perm.begin(), perm.end(), static_cast<unsigned char>(0));
  for (std::size_t i = perm.size() - 1; i > 0; --i) {
    std::swap(perm[i], perm[splitmix64(state) % (i + 1)]);
  }
  const std::size_t head = std::min<std::size_t>(out.size(), perm.size());
  for (std::size_t i = 0; i < head; ++i) out[i] = static_cast<char>(perm[i]);
  for (std::size_t i = head; i < out.size(); i += 8) {
    std::uint64_t word = splitmix64(state);
    for (std::size_t k = 0; k < 8 && i + k < out.size(); ++k, word >>= 8) {
      out[i + k] = static_cast<char>(word & 0xff);
    }
  }
  return out;
}

std::uint64_t client_seed(std::uint64_t scenario_seed, std::uint64_t client) {
  std::uint64_t state = scenario_seed ^ (client * 0xD1B54A32D192ED03ULL);
  return splitmix64(state);
}

net::Status check_template(std::string_view text) {
  return walk_template(
      text, [](char) {},
      [](std::string_view placeholder) -> net::Status {
        const auto [name, width] = split_width(placeholder);
        const bool is_known =
            std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end();
        if (is_known && width > 0 &&
            std::find(std::begin(kNumbered), std::end(kNumbered), name) == std::end(kNumbered)) {
          return Error{
              fmt::format("placeholder '{{{}}}': only {{client}}, {{seq}} and {{seed}} "
                          "take a width",
                          placeholder)};
        }
        if (is_known) return {};
        std::string known;
        for (const std::string_view k : kPlaceholders)
          known += fmt::format("{}{{{}}}", known.empty() ? "" : ", ", k);
        return Error{fmt::format("unknown placeholder '{{{}}}': expected one of {}", name, known)};
      });
}

bool has_placeholders(std::string_view text) {
  bool found = false;
  (void)walk_template(
      text, [](char) {},
      [&](std::string_view) -> net::Status {
        found = true;
        return {};
      });
  return found;
}

net::Result<std::string> render(std::string_view text, const TemplateVars& vars) {
  std::string out;
  net::Status s = walk_template(
      text, [&](char c) { out += c; },
      [&](std::string_view placeholder) -> net::Status {
        const auto [name, width] = split_width(placeholder);
        const auto it = vars.find(name);
        if (it == vars.end())
          return Error{fmt::format("placeholder '{{{}}}' has no value here", placeholder)};
        const std::string& value = it->second;
        if (width > 0 && value.size() > width) {
          return Error{fmt::format("placeholder '{{{}}}': {} has more than {} digits", placeholder,
                                   value, width)};
        }
        out.append(width > value.size() ? width - value.size() : 0, '0');
        out += value;
        return {};
      });
  if (!s) return s.error();
  return out;
}

net::Result<std::string> materialise(const DataSpec& spec, const TemplateVars& vars) {
  switch (spec.kind) {
    case DataKind::text:
      return render(spec.bytes, vars);
    case DataKind::pattern:
      return generate_pattern(spec.pattern);
    default:
      return spec.bytes;
  }
}

net::Result<std::string> read_file_bytes(const std::string& path, std::uint64_t limit) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
  const net::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return net::errno_error(errno, fmt::format("cannot read '{}'", path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return net::errno_error(errno, fmt::format("cannot read '{}'", path));
  if (!S_ISREG(st.st_mode)) {
    return Error{fmt::format("cannot read '{}': not a regular file ({})", path,
                             S_ISDIR(st.st_mode)    ? "a folder"
                             : S_ISFIFO(st.st_mode) ? "a FIFO"
                                                    : "a device or socket")};
  }
  const auto too_large = [&] {
    return Error{fmt::format("'{}' is larger than {} bytes", path, limit)};
  };
  if (static_cast<std::uint64_t>(st.st_size) > limit) return too_large();
  std::string out;
  std::array<char, 65536> buf{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return net::errno_error(errno, fmt::format("cannot read '{}'", path));
    if (n == 0) return out;
    out.append(buf.data(), static_cast<std::size_t>(n));
    if (out.size() > limit) return too_large();  // it grew while read
  }
}

}  // namespace sockspec::scenario
