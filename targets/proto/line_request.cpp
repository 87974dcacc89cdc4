// The `line` request parser; the table below is the contract for every edge case.
//
// A line is split at its FIRST space into a command word and an argument. The word is matched
// ASCII case-insensitively (no locale); the argument is raw bytes, any value but LF.
//
//   line (bytes before LF)   result                  why
//   ----------------------   ---------------------   ---------------------------------------------
//   "PING", "ping", "PiNg"   PING                    command words are ASCII case-insensitive
//   "PING\r"                 PING                    one CR before the LF is dropped
//   "PING\r\r"               unknown command         only ONE CR is dropped; "PING\r" is no word
//   "PING extra", "PING "    unknown command         PING/WHOAMI/TIME/QUIT take no argument: the
//                                                    spec lists only the bare word, and "anything
//                                                    else" is unknown; ignoring trailing bytes
//                                                    would hide client bugs
//   "ECHO x y"               ECHO "x y"              the argument is everything after ONE space
//   "ECHO  x"                ECHO " x"               ... so a second space belongs to the argument
//   "ECHO "                  ECHO ""                 an empty argument is an argument (reply "+")
//   "ECHO"                   ECHO ""                 a missing argument counts as empty: "ECHO"
//                                                    and "ECHO " differ by a trailing space that
//                                                    clients and terminals often strip, and the
//                                                    command is known, so "unknown" would be wrong
//   "LEN", "LEN "            LEN "" (reply "+0")     as for ECHO
//   "ECHO a\rb", "ECHO \0"   ECHO "a\rb", "\0"       argument bytes pass through untouched: NUL,
//                                                    inner CRs, invalid UTF-8 (STR-2)
//   "echo AbC"               ECHO "AbC"              only the word is case-folded, never the arg
//   "ECHO\tx"                unknown command         only a space separates word and argument
//   " PING"                  unknown command         the word is "" (not empty: the line is not)
//   "", "\r"                 empty request           nothing before the LF (after the CR drop)
//   "P\xC4\xB0NG", "PING\0"  unknown command         non-ASCII bytes never fold to ASCII letters
#include "targets/proto/line_request.hpp"

namespace sockspec::proto {
namespace {

[[nodiscard]] constexpr char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// `word` equals `upper` (an upper-case literal) ignoring ASCII case.
[[nodiscard]] constexpr bool word_is(std::string_view word, std::string_view upper) {
  if (word.size() != upper.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (ascii_upper(word[i]) != upper[i]) return false;
  }
  return true;
}

[[nodiscard]] ParsedRequest ok(Command command, std::string_view argument = {}) {
  return ParsedRequest{RequestError::kNone, Request{command, argument}};
}

[[nodiscard]] ParsedRequest error(RequestError why) {
  return ParsedRequest{why, Request{}};
}

}  // namespace

ParsedRequest parse_request(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return error(RequestError::kEmptyRequest);

  const std::size_t space = line.find(' ');
  const bool has_space = space != std::string_view::npos;
  const std::string_view word = has_space ? line.substr(0, space) : line;
  const std::string_view argument = has_space ? line.substr(space + 1) : std::string_view{};

  // Commands that take an argument: a missing one is empty (see the table).
  if (word_is(word, "ECHO")) return ok(Command::kEcho, argument);
  if (word_is(word, "LEN")) return ok(Command::kLen, argument);

  // Commands without one: any byte after the word, even a lone space, is "anything else".
  if (has_space) return error(RequestError::kUnknownCommand);
  if (word_is(word, "PING")) return ok(Command::kPing);
  if (word_is(word, "WHOAMI")) return ok(Command::kWhoami);
  if (word_is(word, "TIME")) return ok(Command::kTime);
  if (word_is(word, "QUIT")) return ok(Command::kQuit);
  return error(RequestError::kUnknownCommand);
}

}  // namespace sockspec::proto
