// Shared by the in-memory harnesses of targets/proto (line_request, line_session, services): a
// fixed context and the reply table of the line service as a checked model.
#pragma once

#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "targets/proto/line_reply.hpp"
#include "targets/proto/line_request.hpp"
#include "targets/proto/service.hpp"
#include "targets/proto/test_driver.hpp"

namespace sockspec::fuzz {

// The same for every input: the unit tests' fixed peer and clock (2026-11-23T18:55:05Z), made
// once (a std::function per input would cost more than the parse).
inline const proto::Context& fixed_context() {
  static const proto::Context ctx = proto::testing::fixed_context();
  return ctx;
}

// One reply of the line service: "+<text>\r\n" or "-ERR <reason>\r\n".
inline void check_reply_shape(std::string_view reply) {
  FUZZ_CHECK(reply.size() >= 3, "a line reply has a sign and CRLF");
  FUZZ_CHECK(reply.ends_with("\r\n"), "a line reply ends in CRLF");
  FUZZ_CHECK(reply.starts_with('+') || reply.starts_with("-ERR "),
             "a line reply starts with '+' or '-ERR '");
}

// Appends the reply to one request line (the bytes before its LF) to `out`, checked against the
// protocol table of docs/requirements.md; returns what the session does after it.
inline proto::AfterReply append_checked_reply(std::string_view line, std::string& out) {
  using proto::Command;
  const proto::ParsedRequest parsed = proto::parse_request(line);
  const std::size_t start = out.size();
  const proto::AfterReply after = proto::append_reply(parsed, fixed_context(), out);
  const std::string_view reply = std::string_view(out).substr(start);
  check_reply_shape(reply);
  FUZZ_CHECK((after == proto::AfterReply::kClose) ==
                 (parsed.ok() && parsed.request.command == Command::kQuit),
             "only QUIT closes");
  if (!parsed.ok()) return after;
  const std::string_view arg = parsed.request.argument;
  FUZZ_CHECK(arg.empty() || (arg.data() >= line.data() &&
                             arg.data() + arg.size() <= line.data() + line.size()),
             "the argument views the line");
  const auto is = [&](std::string_view head, std::string_view body) {
    return reply.size() == head.size() + body.size() + 2 && reply.starts_with(head) &&
           reply.substr(head.size(), body.size()) == body && reply.ends_with("\r\n");
  };
  switch (parsed.request.command) {
    case Command::kEcho:
      FUZZ_CHECK(is("+", arg), "ECHO answers its argument");
      break;
    case Command::kLen:
      FUZZ_CHECK(is("+", std::to_string(arg.size())), "LEN answers the length");
      break;
    case Command::kPing:
      FUZZ_CHECK(reply == "+PONG\r\n", "PING answers +PONG");
      break;
    case Command::kQuit:
      FUZZ_CHECK(reply == "+BYE\r\n", "QUIT answers +BYE");
      break;
    case Command::kWhoami:
      FUZZ_CHECK(reply == "+127.0.0.1:54321\r\n", "WHOAMI answers the peer");
      break;
    case Command::kTime:
      FUZZ_CHECK(reply == "+2026-11-23T18:55:05Z\r\n", "TIME answers the clock");
      break;
  }
  return after;
}

}  // namespace sockspec::fuzz
