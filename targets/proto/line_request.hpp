// The `line` service's request parser: one line's bytes in, a command and its argument out.
//
// Pure and allocation-free: the argument is a view into the caller's line. Framing (finding the
// LF, the 4096-byte limit, one request per datagram) is the caller's job: see line_session.hpp
// and line_datagram.hpp. Fuzz harnesses may call parse_request() on any bytes.
#pragma once

#include <cstddef>
#include <string_view>

namespace sockspec::proto {

// At most this many bytes before the LF (a CR before the LF counts: it is "before the LF").
inline constexpr std::size_t kMaxLineBytes = 4096;

enum class Command { kPing, kEcho, kLen, kWhoami, kTime, kQuit };

// Why a line is not a request. Each maps to one `-ERR <reason>` reply (line_reply.hpp).
enum class RequestError {
  kNone,            // the line is a request
  kEmptyRequest,    // zero bytes (after dropping the CR)
  kUnknownCommand,  // anything that is not one of the forms in the table of line_request.cpp
};

struct Request {
  Command command = Command::kPing;
  std::string_view argument;  // ECHO and LEN only; a view into the line passed to parse_request
};

struct ParsedRequest {
  RequestError error = RequestError::kNone;
  Request request;  // meaningful only when error == kNone

  [[nodiscard]] bool ok() const { return error == RequestError::kNone; }
};

// Parses one request line. `line` is the bytes before the LF (the LF itself excluded); one CR at
// its end is dropped here. Does not check the length limit (framing does). Never fails otherwise:
// malformed input becomes a RequestError. The result's argument points into `line`.
[[nodiscard]] ParsedRequest parse_request(std::string_view line);

}  // namespace sockspec::proto
