// Fuzz harness of the line service's TCP framing (LineSession), fed from memory: the input is
// cut into chunks, fed chunk by chunk (then EOF, if the input says so), and the replies must be
// those of a line-by-line model of the whole stream. The model is the only second pass: a single
// chunk is one of the chunkings, so replies equal to the model's for every chunking are also
// independent of the chunking.
//
// Input layout (FuzzedDataProvider): from the end, the EOF flag and for each chunk a filler flag
// and a size; from the front, the literal chunks' bytes. A filler chunk is that many 'x' bytes
// (up to one past the 4096-byte line limit), so long and overlong lines cost two input bytes
// instead of 4 KiB: the input stays small (kMaxInput) and so does the number of lines per input,
// which is what an input costs.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/proto_fuzz.hpp"
#include "targets/proto/line_reply.hpp"
#include "targets/proto/line_request.hpp"
#include "targets/proto/line_session.hpp"

namespace {

using namespace sockspec::proto;
using sockspec::fuzz::append_checked_reply;
using sockspec::fuzz::fixed_context;

// max_len in corpora/line_session.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;
// Fillers stop once the stream is this long: enough for lines around the limit on both sides of
// a chunk boundary.
constexpr std::size_t kMaxStream = 3 * kMaxLineBytes;

// Shadow model of the line service over TCP: the whole input at once, line by line; each reply
// checked against the protocol table.
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
    if (append_checked_reply(all.substr(0, lf), out.bytes) == AfterReply::kClose) {
      out.close_after = true;
      return out;
    }
    all.remove_prefix(lf + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;  // not added to the corpus
  FuzzedDataProvider fdp(data, size);
  const bool eof = fdp.ConsumeBool();

  LineSession session(fixed_context());
  Output got;
  // A fresh Output per call, as server::Connection does.
  const auto take = [&got](const Output& out) {
    got.bytes += out.bytes;
    got.close_after = got.close_after || out.close_after;
  };
  std::string all;
  while (fdp.remaining_bytes() > 0 && all.size() < kMaxStream) {
    const bool filler = fdp.ConsumeBool();
    const auto n = fdp.ConsumeIntegralInRange<std::size_t>(1, kMaxLineBytes + 1);
    const std::string chunk = filler ? std::string(n, 'x') : fdp.ConsumeBytesAsString(n);
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

  const Output model = line_model(all);
  FUZZ_CHECK(got.bytes == model.bytes, "line replies match the model, whatever the chunking");
  FUZZ_CHECK(got.close_after == (model.close_after || eof), "line closes as the model does");
  return 0;
}
