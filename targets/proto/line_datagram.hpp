// The `line` service over UDP: one request per datagram, one reply datagram each.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "targets/proto/service.hpp"

namespace sockspec::proto {

// Stateless and const: safe to call from any number of threads at once. Always answers.
//
// Framing decisions (the request grammar is in line_request.cpp):
//   - The final LF is optional: "PING", "PING\n" and "PING\r\n" are the same request. A final
//     CR without an LF ("PING\r") is dropped too, as if the LF had been sent.
//   - Length is checked first: more than 4096 bytes before the final LF (a CR counts, as on TCP)
//     answers "-ERR line too long\r\n", whether or not the datagram also holds several lines.
//   - Any LF left after removing the final one ("PING\nPING", "PING\n\n") answers
//     "-ERR one request per datagram\r\n".
//   - A 0-byte datagram and a lone "\n" or "\r\n" are the empty line: "-ERR empty request\r\n".
//   - QUIT answers "+BYE\r\n" and nothing closes (there is no connection).
class LineDatagramService final : public DatagramService {
 public:
  [[nodiscard]] std::optional<std::string> answer(std::span<const std::byte> request,
                                                  const Context& ctx) const override;
};

}  // namespace sockspec::proto
