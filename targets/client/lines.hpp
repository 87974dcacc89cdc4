// The line-protocol side of --lines, kept pure: splitting requests and counting reply lines.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sockspec::client {

// Splits `message` into request lines, each keeping its LF (and any CR before it) exactly as
// given; a last line without LF is kept as it is. "" has no lines; "\n" has one (empty) line.
[[nodiscard]] std::vector<std::string_view> split_request_lines(std::string_view message);

// `message` with an LF appended when its last line has none, so that a stream server sees
// every request line end (the `line` service answers a line only once its LF arrives).
[[nodiscard]] std::string terminate_last_line(std::string_view message);

// Counts reply lines across arbitrary chunking and says where the expected ones end.
//
// A reply line ends at LF. The `line` service ends replies in CR LF; the client counts the LF
// alone so that a server that forgets the CR still gets its replies printed (checking CR LF is
// the suite's job, not the client's). Bytes after the last expected line are not part of the
// exchange and are not reported.
class ReplyLineCounter {
 public:
  explicit ReplyLineCounter(std::size_t expected) : expected_(expected) {}

  // Consumes the next chunk of the reply stream; returns how many leading bytes of `chunk`
  // belong to the expected replies: all of it, or up to and including the last expected LF.
  // Once complete(), every further chunk returns 0.
  std::size_t feed(std::span<const std::byte> chunk);

  [[nodiscard]] bool complete() const { return seen_ == expected_; }
  [[nodiscard]] std::size_t lines_seen() const { return seen_; }
  [[nodiscard]] std::size_t expected() const { return expected_; }

 private:
  std::size_t expected_;
  std::size_t seen_ = 0;
};

}  // namespace sockspec::client
