// The `line` service's replies: what each parsed request answers, as `+<text>\r\n` or `-ERR ...`.
#pragma once

#include <string>
#include <string_view>

#include "targets/proto/line_request.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::proto {

// Replies the framing sends on its own, without a parsed request.
inline constexpr std::string_view kLineTooLongReply = "-ERR line too long\r\n";
inline constexpr std::string_view kOneRequestPerDatagramReply = "-ERR one request per datagram\r\n";

// What the connection does once the reply is sent. Only QUIT closes; a UDP caller ignores it.
enum class AfterReply { kKeepOpen, kClose };

// Appends the reply to `parsed` to `out` (never clears it). Reads ctx.peer (WHOAMI) and calls
// ctx.now() (TIME) only for those commands. The argument must still be alive (it views the line).
AfterReply append_reply(const ParsedRequest& parsed, const Context& ctx, std::string& out);

}  // namespace sockspec::proto
