// The `line` service over TCP: frames a byte stream into LF-terminated requests and answers each.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "targets/proto/service.hpp"

namespace sockspec::proto {

// One connection of the `line` service. Incremental: requests may be pipelined in one chunk or
// split at any byte across chunks; each is answered exactly once, in order, when its LF arrives.
// Memory is bounded: at most kMaxLineBytes of an unfinished line are kept.
//
// Framing decisions (the request grammar is in line_request.cpp):
//   - 4097 bytes without an LF (a CR counts) are rejected as soon as the 4097th arrives, even if
//     the LF would have come in the next chunk: "-ERR line too long\r\n", then close.
//   - QUIT answers "+BYE\r\n", then close.
//   - After QUIT or an overlong line, every further byte (the rest of that chunk, later chunks) is
//     ignored: the connection is closing.
//   - EOF with an unterminated partial line: the partial line is dropped, not answered (a request
//     is a line ending in LF), and the connection closes once all replies owed are sent (STR-3).
class LineSession final : public StreamSession {
 public:
  explicit LineSession(Context ctx) : ctx_(std::move(ctx)) {}

  void on_data(std::span<const std::byte> in, Output& out) override;
  // The default on_eof (close after sending) is right: a partial line is simply dropped.

 private:
  // Answers one complete line (bytes before the LF); after QUIT marks the session closing.
  void answer_line(std::string_view line, Output& out);
  void reject_overlong(Output& out);

  Context ctx_;
  std::string partial_;  // bytes of the unfinished line, never more than kMaxLineBytes
  bool closing_ = false;
};

}  // namespace sockspec::proto
