// Whether received bytes satisfy an expectation (exact data, regex, length, same as sent): pure
// functions, so the stream and datagram steps share one definition of "matches".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sockspec::engine {

// What is expected, with the bytes already materialised (templates rendered, patterns
// generated).
struct Expected {
  enum class Kind { data, regex, length };
  Kind kind = Kind::data;
  std::string bytes;             // data
  std::string regex;             // regex (ECMAScript, must match the whole payload)
  std::uint64_t length = 0;      // length: exactly, or at least with length_max
  std::uint64_t length_max = 0;  // length: a range up to this many bytes (0: no range)
  // "the 5 bytes \"hello\"", "bytes matching /\+PONG\r\n/", "512 bytes", "512 to 600 bytes"
  [[nodiscard]] std::string describe() const;
  // A length range over a stream: once `length` bytes are there, the reply is what arrives until
  // `length_max` bytes or a short quiet (kSettle).
  [[nodiscard]] bool settles() const { return kind == Kind::length && length_max > length; }
};

// Regex matching is done on at most this many bytes (std::regex is recursive and slow); larger
// payloads are checked with `length`, data or same-as-sent.
inline constexpr std::size_t kRegexLimit = 16 * 1024;

// How long a stream must stay quiet to end a reply whose length is a range.
inline constexpr std::chrono::milliseconds kSettle{100};

struct StreamMatch {
  enum class State { need_more, matched, mismatch };
  State state = State::need_more;
  std::size_t consumed = 0;  // matched: how many bytes of the stream the expectation takes
  std::string observed;      // mismatch: what was seen, e.g. "byte 3 is 0x41 ('A'), not 0x42"
};

// Judges the bytes received so far on a stream. `final`: no more bytes will come (EOF, reset or
// the deadline), so "need more" becomes a mismatch that says what arrived.
[[nodiscard]] StreamMatch match_stream(const Expected& expected, std::string_view received,
                                       bool final);

// Judges one datagram, or a client's whole output: it must be exactly what is expected (no
// prefix matching). Empty when it matches, else what was observed, named `what` ("a datagram of
// 5 bytes: ...", "output of 0 bytes: \"\"").
[[nodiscard]] std::string match_datagram(const Expected& expected, std::string_view datagram,
                                         std::string_view what = "a datagram");

// How many bytes before and after the first difference bytes_around() shows.
inline constexpr std::size_t kBytesBefore = 16;
inline constexpr std::size_t kBytesAfter = 32;

// Both sides around offset `at` (where they first differ, or where the shorter one ends), for a
// message, so a mismatch deep in a large payload shows the bytes that matter and not its start:
// `from byte 32752, expected "..."..., received "..." (its end)`. Each side runs from
// `at - kBytesBefore` (or 0) to `at + kBytesAfter` or its end, escaped between quotes, or as
// `hex 00 ff ...` on both sides when either side's bytes there are not mostly text (so binary
// bytes line up); "..." follows when the side has more bytes after that, " (its end)" when it
// ends there, "nothing" when it has no byte in the window.
[[nodiscard]] std::string bytes_around(std::string_view expected, std::string_view received,
                                       std::size_t at);

// Bytes for a message: escaped text, at most `limit` bytes shown ("\"ab\\x00\"... (1024 bytes)").
[[nodiscard]] std::string show_bytes(std::string_view bytes, std::size_t limit = 64);

}  // namespace sockspec::engine
