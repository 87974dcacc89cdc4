// The `line` service's UDP framing: strip the optional final LF, enforce one bounded line, reply.
#include "targets/proto/line_datagram.hpp"

#include <string_view>

#include "targets/proto/line_reply.hpp"
#include "targets/proto/line_request.hpp"

namespace sockspec::proto {

std::optional<std::string> LineDatagramService::answer(std::span<const std::byte> request,
                                                       const Context& ctx) const {
  std::string_view line = as_chars(request);
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (line.size() > kMaxLineBytes) return std::string(kLineTooLongReply);
  if (line.find('\n') != std::string_view::npos) {
    return std::string(kOneRequestPerDatagramReply);
  }
  std::string reply;
  reply.reserve(line.size() + 3);  // ECHO, the one reply that grows with the request: "+" arg CRLF
  (void)append_reply(parse_request(line), ctx, reply);  // QUIT closes nothing over UDP
  return reply;
}

}  // namespace sockspec::proto
