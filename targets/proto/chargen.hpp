// The character generator service (RFC 864): the RFC's rotating pattern of printable ASCII lines.
//
// The pattern (docs/requirements.md, SVC-6): the 95 printable characters 32..126; line i (from 0)
// is the 72 characters starting at character (i mod 95) of that sequence, wrapping, then CR LF. It
// repeats after 95 lines (kChargenCycleBytes bytes).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "targets/proto/service.hpp"

namespace sockspec::proto {

inline constexpr std::size_t kChargenAlphabet = 95;   // ' ' (32) .. '~' (126)
inline constexpr std::size_t kChargenLineChars = 72;  // printable characters per line
inline constexpr std::size_t kChargenLineBytes = kChargenLineChars + 2;  // with CR LF
inline constexpr std::size_t kChargenCycleBytes = kChargenAlphabet * kChargenLineBytes;  // 7030
// A UDP answer: 6 lines, 444 bytes, within RFC 864's 0..512 and showing the rotation.
inline constexpr std::size_t kChargenDatagramLines = 6;

// Byte `index` of the endless pattern; index 0 is the first character of line 0 (a space).
[[nodiscard]] constexpr char chargen_byte(std::size_t index) {
  const std::size_t line = (index / kChargenLineBytes) % kChargenAlphabet;
  const std::size_t column = index % kChargenLineBytes;
  if (column == kChargenLineChars) return '\r';
  if (column == kChargenLineChars + 1) return '\n';
  return static_cast<char>(' ' + (line + column) % kChargenAlphabet);
}

// Appends `count` bytes of the pattern to `out`, starting at byte `offset` of it.
void append_chargen(std::size_t offset, std::size_t count, std::string& out);

// TCP: wants_more() is always true; each produce(max) appends exactly `max` bytes, continuing
// the pattern exactly where the previous call stopped (a line may be split between calls).
// Input is ignored. EOF does NOT stop it: RFC 864 sends "until the calling user terminates the
// connection", and a half-close (SHUT_WR) only says the client will send no more; the client
// may still be reading. The driver stops when a write fails (the peer closed or reset).
class ChargenSession final : public StreamSession {
 public:
  void on_data(std::span<const std::byte> in, Output& out) override;
  void on_eof(Output& out) override;  // keeps producing; see above
  [[nodiscard]] bool wants_more() const override { return true; }
  void produce(std::size_t max, Output& out) override;

 private:
  std::size_t position_ = 0;  // offset in the pattern's cycle of the next byte to send
};

// UDP: stateless; every datagram (content ignored) gets the first kChargenDatagramLines lines.
class ChargenDatagramService final : public DatagramService {
 public:
  [[nodiscard]] std::optional<std::string> answer(std::span<const std::byte> request,
                                                  const Context& ctx) const override;
};

}  // namespace sockspec::proto
