// Fuzz harness of the other pure services (targets/proto), fed from memory: each input picks one
// service behaviour and checks it against a shadow model, whatever the chunking. (The line
// service's requests and TCP framing have their own harnesses: line_request, line_session.)
//
// Input layout (FuzzedDataProvider): the last byte picks the mode; chunk and produce sizes come
// from the end, payload bytes from the front. At most kMaxInput bytes: a line datagram is two
// literal parts around a filler of up to 4097 'x' bytes, so the 4096-byte limit is reachable
// from a small input.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/proto_fuzz.hpp"
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
using sockspec::fuzz::check_reply_shape;
using sockspec::fuzz::fixed_context;

// max_len in corpora/services.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;
// Past the end of the cycle, so the wrap-around is checked.
constexpr std::size_t kMaxChargen = kChargenCycleBytes + 2 * kChargenLineBytes;

enum class Mode : std::uint8_t { kEcho, kDiscard, kChargen, kDatagram, kTime, kMaxValue = kTime };

// Feeds what is left of the input to `session` in chunks whose sizes the FDP picks (a fresh
// Output per call, as server::Connection does), then EOF if `eof`. Returns all bytes and whether
// any event asked to close; `all` gets the bytes fed and `first` the first chunk.
Output feed(FuzzedDataProvider& fdp, StreamSession& session, bool eof, std::string& all,
            std::string& first) {
  Output total;
  const auto take = [&total](const Output& out) {
    total.bytes += out.bytes;
    total.close_after = total.close_after || out.close_after;
  };
  bool have_first = false;
  while (fdp.remaining_bytes() > 0) {
    const auto n = fdp.ConsumeIntegralInRange<std::size_t>(1, kMaxInput);
    const std::string chunk = fdp.ConsumeBytesAsString(n);
    if (!have_first) first = chunk;
    have_first = true;
    all += chunk;
    Output out;
    session.on_data(as_bytes(chunk), out);
    take(out);
  }
  if (eof) {
    Output out;
    session.on_eof(out);
    take(out);
  }
  return total;
}

void fuzz_echo(FuzzedDataProvider& fdp) {
  const bool eof = fdp.ConsumeBool();
  EchoSession session;
  std::string all;
  std::string first;
  const Output got = feed(fdp, session, eof, all, first);
  FUZZ_CHECK(got.bytes == all, "echo returns exactly the input");
  FUZZ_CHECK(got.close_after == eof, "echo closes only after EOF");
  const EchoDatagramService datagrams;
  const auto reply = datagrams.answer(as_bytes(first), fixed_context());
  FUZZ_CHECK(reply.has_value() && *reply == first, "a datagram echoes byte for byte");
}

void fuzz_discard(FuzzedDataProvider& fdp) {
  const bool eof = fdp.ConsumeBool();
  DiscardSession session;
  std::string all;
  std::string first;
  const Output got = feed(fdp, session, eof, all, first);
  FUZZ_CHECK(got.bytes.empty(), "discard never sends");
  FUZZ_CHECK(got.close_after == eof, "discard closes only after EOF");
  const DiscardDatagramService datagrams;
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
  const auto head_size = fdp.ConsumeIntegralInRange<std::size_t>(0, kMaxInput);
  const auto filler = fdp.ConsumeIntegralInRange<std::size_t>(0, kMaxLineBytes + 1);
  std::string request = fdp.ConsumeBytesAsString(head_size);
  request.append(filler, 'x');
  request += fdp.ConsumeRemainingBytesAsString();
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
