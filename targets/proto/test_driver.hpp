// Test-only: drives a StreamSession in memory, the way a server model would, and records it all.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "targets/proto/service.hpp"

namespace sockspec::proto::testing {

// Everything a session asked for, merged over all events in order.
struct Transcript {
  std::string bytes;
  bool closed = false;  // some event set close_after
};

// Feeds `chunks` one on_data each (an empty chunk included), then on_eof when `eof`. Unlike a
// real driver it keeps feeding after close_after, to check that a closing session stays silent.
inline Transcript drive(StreamSession& session, const std::vector<std::string>& chunks,
                        bool eof = false) {
  Transcript t;
  auto take = [&t](const Output& out) {
    t.bytes += out.bytes;
    t.closed = t.closed || out.close_after;
  };
  Output opened;
  session.on_open(opened);
  take(opened);
  for (const std::string& chunk : chunks) {
    Output out;
    session.on_data(as_bytes(chunk), out);
    take(out);
  }
  if (eof) {
    Output out;
    session.on_eof(out);
    take(out);
  }
  return t;
}

// A Context with a fixed peer and a clock stuck at `unix_seconds`.
inline Context fixed_context(std::string peer = "127.0.0.1:54321",
                             long long unix_seconds = 1795460105 /* 2026-11-23T18:55:05Z */) {
  Context ctx;
  ctx.peer = std::move(peer);
  ctx.now = [unix_seconds] {
    return std::chrono::system_clock::time_point{std::chrono::seconds{unix_seconds}};
  };
  return ctx;
}

// Splits `text` at the given ascending offsets.
inline std::vector<std::string> split_at(std::string_view text,
                                         const std::vector<std::size_t>& cuts) {
  std::vector<std::string> chunks;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    chunks.emplace_back(text.substr(from, cut - from));
    from = cut;
  }
  chunks.emplace_back(text.substr(from));
  return chunks;
}

// Every byte value in order, except those in `except`.
inline std::string all_bytes_except(std::string_view except = {}) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(static_cast<unsigned char>(b));
    if (except.find(c) == std::string_view::npos) bytes.push_back(c);
  }
  return bytes;
}

}  // namespace sockspec::proto::testing
