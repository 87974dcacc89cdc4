// The `line` service's replies, appended in place so pipelined requests share one buffer.
#include "targets/proto/line_reply.hpp"

#include <array>
#include <charconv>

#include "targets/proto/time_format.hpp"

namespace sockspec::proto {
namespace {

constexpr std::string_view kCrLf = "\r\n";

void append_ok(std::string_view text, std::string& out) {
  out.push_back('+');
  out.append(text);
  out.append(kCrLf);
}

}  // namespace

AfterReply append_reply(const ParsedRequest& parsed, const Context& ctx, std::string& out) {
  switch (parsed.error) {
    case RequestError::kNone:
      break;
    case RequestError::kEmptyRequest:
      out.append("-ERR empty request\r\n");
      return AfterReply::kKeepOpen;
    case RequestError::kUnknownCommand:
      out.append("-ERR unknown command\r\n");
      return AfterReply::kKeepOpen;
  }

  const Request& request = parsed.request;
  switch (request.command) {
    case Command::kPing:
      append_ok("PONG", out);
      break;
    case Command::kEcho:
      append_ok(request.argument, out);
      break;
    case Command::kLen: {
      std::array<char, 24> digits{};  // 2^64 has 20 decimal digits
      const auto end =
          std::to_chars(digits.data(), digits.data() + digits.size(), request.argument.size()).ptr;
      append_ok(std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())),
                out);
      break;
    }
    case Command::kWhoami:
      append_ok(ctx.peer, out);
      break;
    case Command::kTime:
      append_ok(format_rfc3339(ctx.now()), out);
      break;
    case Command::kQuit:
      append_ok("BYE", out);
      return AfterReply::kClose;
  }
  return AfterReply::kKeepOpen;
}

}  // namespace sockspec::proto
