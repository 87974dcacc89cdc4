// Fuzz harness of the pure services (targets/proto), fed from memory: each input picks one
// service behaviour and checks it against a shadow model, whatever the chunking.
//
// Input layout (FuzzedDataProvider): the last byte picks the mode; chunk and produce sizes come
// from the end, payload bytes from the front. At most kMaxInput bytes are looked at, enough for
// the 4096-byte line limit.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "targets/proto/chargen.hpp"
#include "targets/proto/discard.hpp"
#include "targets/proto/echo.hpp"
#include "targets/proto/line_datagram.hpp"
#include "targets/proto/line_reply.hpp"
#include "targets/proto/line_request.hpp"
#include "targets/proto/line_session.hpp"
#include "targets/proto/service.hpp"
#include "targets/proto/time_format.hpp"

namespace {

using namespace sockspec::proto;

constexpr std::size_t kMaxInput = 3 * kMaxLineBytes;
constexpr std::size_t kMaxChargen = 3 * kChargenCycleBytes;

enum class Mode : std::uint8_t {
  kRequest,
  kLineSession,
  kEcho,
  kDiscard,
  kChargen,
  kDatagram,
  kTime,
  kMaxValue = kTime
};

// The same for every input: a fixed peer and a clock that never moves.
const Context& fixed_context() {
  static const Context ctx{"127.0.0.1:54321", [] {
                             return std::chrono::system_clock::time_point(
                                 std::chrono::seconds(1'795'460'105));  // 2026-11-23T18:55:05Z
                           }};
  return ctx;
}

// Splits what is left of the input into 1..N chunks whose sizes the FDP picks.
std::vector<std::string> take_chunks(FuzzedDataProvider& fdp) {
  std::vector<std::string> chunks;
  while (fdp.remaining_bytes() > 0) {
    const auto n = fdp.ConsumeIntegralInRange<std::size_t>(1, 2 * kMaxLineBytes);
    chunks.push_back(fdp.ConsumeBytesAsString(n));
  }
  return chunks;
}

std::string joined(const std::vector<std::string>& chunks) {
  std::string all;
  for (const std::string& c : chunks) all += c;
  return all;
}

// Feeds every chunk in its own on_data call, then EOF; returns all bytes and whether any event
// asked to close.
Output feed(StreamSession& session, const std::vector<std::string>& chunks, bool eof) {
  Output total;
  for (const std::string& c : chunks) {
    Output out;
    session.on_data(as_bytes(c), out);
    total.bytes += out.bytes;
    total.close_after = total.close_after || out.close_after;
  }
  if (eof) {
    Output out;
    session.on_eof(out);
    total.bytes += out.bytes;
    total.close_after = total.close_after || out.close_after;
  }
  return total;
}

// One reply of the line service: "+<text>\r\n" or "-ERR <reason>\r\n".
void check_reply_shape(std::string_view reply) {
  FUZZ_CHECK(reply.size() >= 3, "a line reply has a sign and CRLF");
  FUZZ_CHECK(reply.ends_with("\r\n"), "a line reply ends in CRLF");
  FUZZ_CHECK(reply.starts_with('+') || reply.starts_with("-ERR "),
             "a line reply starts with '+' or '-ERR '");
}

// The reply to one request line, checked against the protocol table of CONFORMANCE.md.
std::string reply_to(std::string_view line, AfterReply* after = nullptr) {
  const ParsedRequest parsed = parse_request(line);
  std::string reply;
  const AfterReply a = append_reply(parsed, fixed_context(), reply);
  if (after != nullptr) *after = a;
  check_reply_shape(reply);
  FUZZ_CHECK((a == AfterReply::kClose) == (parsed.ok() && parsed.request.command == Command::kQuit),
             "only QUIT closes");
  if (!parsed.ok()) return reply;
  const std::string_view arg = parsed.request.argument;
  FUZZ_CHECK(arg.empty() || (arg.data() >= line.data() &&
                             arg.data() + arg.size() <= line.data() + line.size()),
             "the argument views the line");
  switch (parsed.request.command) {
    case Command::kEcho:
      FUZZ_CHECK(reply == "+" + std::string(arg) + "\r\n", "ECHO answers its argument");
      break;
    case Command::kLen:
      FUZZ_CHECK(reply == "+" + std::to_string(arg.size()) + "\r\n", "LEN answers the length");
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
  return reply;
}

// Shadow model of the line service over TCP: the whole input at once, line by line.
Output line_model(std::string_view all) {
  Output out;
  while (true) {
    const std::size_t lf = all.find('\n');
    const std::size_t before_lf = lf == std::string_view::npos ? all.size() : lf;
    if (before_lf > kMaxLineBytes) {
      out.bytes += kLineTooLongReply;
      out.close_after = true;
      return out;
    }
    if (lf == std::string_view::npos) return out;  // a partial line is never answered
    AfterReply after = AfterReply::kKeepOpen;
    out.bytes += reply_to(all.substr(0, lf), &after);
    if (after == AfterReply::kClose) {
      out.close_after = true;
      return out;
    }
    all.remove_prefix(lf + 1);
  }
}

void fuzz_line_session(FuzzedDataProvider& fdp) {
  const bool eof = fdp.ConsumeBool();
  const std::vector<std::string> chunks = take_chunks(fdp);
  const std::string all = joined(chunks);
  LineSession chunked(fixed_context());
  const Output got = feed(chunked, chunks, eof);
  LineSession whole(fixed_context());
  const Output once = feed(whole, {all}, eof);
  FUZZ_CHECK(got.bytes == once.bytes, "line replies do not depend on the chunking");
  FUZZ_CHECK(got.close_after == once.close_after, "line close does not depend on the chunking");
  const Output model = line_model(all);
  FUZZ_CHECK(once.bytes == model.bytes, "line replies match the model");
  FUZZ_CHECK(once.close_after == (model.close_after || eof), "line closes as the model does");
}

void fuzz_echo(FuzzedDataProvider& fdp) {
  const bool eof = fdp.ConsumeBool();
  const std::vector<std::string> chunks = take_chunks(fdp);
  EchoSession session;
  const Output got = feed(session, chunks, eof);
  FUZZ_CHECK(got.bytes == joined(chunks), "echo returns exactly the input");
  FUZZ_CHECK(got.close_after == eof, "echo closes only after EOF");
  const EchoDatagramService datagrams;
  const std::string first = chunks.empty() ? std::string() : chunks.front();
  const auto reply = datagrams.answer(as_bytes(first), fixed_context());
  FUZZ_CHECK(reply.has_value() && *reply == first, "a datagram echoes byte for byte");
}

void fuzz_discard(FuzzedDataProvider& fdp) {
  const bool eof = fdp.ConsumeBool();
  const std::vector<std::string> chunks = take_chunks(fdp);
  DiscardSession session;
  const Output got = feed(session, chunks, eof);
  FUZZ_CHECK(got.bytes.empty(), "discard never sends");
  FUZZ_CHECK(got.close_after == eof, "discard closes only after EOF");
  const DiscardDatagramService datagrams;
  const std::string first = chunks.empty() ? std::string() : chunks.front();
  FUZZ_CHECK(!datagrams.answer(as_bytes(first), fixed_context()).has_value(),
             "discard never answers a datagram");
}

// The pattern from its defining formula, as long as fuzz_chargen can send (computed once: a
// byte-by-byte check per input cost more than everything else in this harness).
const std::string& chargen_reference() {
  static const std::string pattern = [] {
    std::string p(kMaxChargen + kChargenCycleBytes + 1, '\0');
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = chargen_byte(i);
    return p;
  }();
  return pattern;
}

void fuzz_chargen(FuzzedDataProvider& fdp) {
  ChargenSession session;
  std::string sent;
  while (fdp.remaining_bytes() > 0 && sent.size() < kMaxChargen) {
    // Input and EOF in between change nothing: the pattern continues where it stopped.
    Output out;
    switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
      case 0:
        session.produce(fdp.ConsumeIntegralInRange<std::size_t>(0, kChargenCycleBytes + 1), out);
        break;
      case 1:
        session.on_data(as_bytes(fdp.ConsumeBytesAsString(8)), out);
        FUZZ_CHECK(out.bytes.empty(), "chargen ignores input");
        break;
      default:
        session.on_eof(out);
        FUZZ_CHECK(out.bytes.empty() && !out.close_after, "chargen keeps going after EOF");
        break;
    }
    FUZZ_CHECK(session.wants_more(), "chargen always wants more");
    sent += out.bytes;
  }
  FUZZ_CHECK(std::string_view(sent) == std::string_view(chargen_reference()).substr(0, sent.size()),
             "chargen continues the pattern exactly");
}

void fuzz_datagram(FuzzedDataProvider& fdp) {
  const std::string request = fdp.ConsumeRemainingBytesAsString();
  const LineDatagramService service;
  const auto reply = service.answer(as_bytes(request), fixed_context());
  FUZZ_CHECK(reply.has_value(), "the line service answers every datagram");
  check_reply_shape(*reply);
  std::string_view line = request;
  if (line.ends_with('\n')) line.remove_suffix(1);
  if (line.size() <= kMaxLineBytes && line.find('\n') == std::string_view::npos) {
    // One request: the same reply as the TCP session gives that line.
    LineSession session(fixed_context());
    Output out;
    session.on_data(as_bytes(std::string(line) + "\n"), out);
    FUZZ_CHECK(*reply == out.bytes, "a one-line datagram is answered as over TCP");
  } else if (line.size() > kMaxLineBytes) {
    FUZZ_CHECK(*reply == kLineTooLongReply, "an overlong datagram is refused");
  } else {
    FUZZ_CHECK(*reply == kOneRequestPerDatagramReply, "one request per datagram");
  }
}

void fuzz_request(FuzzedDataProvider& fdp) {
  const std::string line = fdp.ConsumeRemainingBytesAsString();
  (void)reply_to(line);
}

void fuzz_time(FuzzedDataProvider& fdp) {
  // Any instant system_clock can hold, its first days too (they once overflowed in <chrono>).
  using Ticks = std::chrono::system_clock::duration;
  const std::chrono::system_clock::time_point when(Ticks(fdp.ConsumeIntegral<Ticks::rep>()));
  FUZZ_CHECK(format_rfc3339(when).ends_with('Z'), "RFC 3339 times end in Z");
  FUZZ_CHECK(format_daytime(when).ends_with("-UTC"), "daytime ends in -UTC");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;  // not added to the corpus
  FuzzedDataProvider fdp(data, size);
  switch (fdp.ConsumeEnum<Mode>()) {
    case Mode::kRequest:
      fuzz_request(fdp);
      break;
    case Mode::kLineSession:
      fuzz_line_session(fdp);
      break;
    case Mode::kEcho:
      fuzz_echo(fdp);
      break;
    case Mode::kDiscard:
      fuzz_discard(fdp);
      break;
    case Mode::kChargen:
      fuzz_chargen(fdp);
      break;
    case Mode::kDatagram:
      fuzz_datagram(fdp);
      break;
    case Mode::kTime:
      fuzz_time(fdp);
      break;
  }
  return 0;
}
