// Fuzz harness of one request of the line service, fed from memory: the whole input is one line
// (the bytes before its LF), parsed with parse_request and answered with append_reply, and the
// reply is checked against the protocol table (fuzz/proto_fuzz.hpp).
//
// Input layout: the line itself, nothing else. At most kMaxInput bytes: neither the parser nor
// the replies look at the length (the 4096-byte limit is the framing's, fuzzed by line_session
// and services), so a longer line adds no coverage, only time.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/proto_fuzz.hpp"

namespace {

// max_len in corpora/line_request.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;  // not added to the corpus
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  std::string reply;
  (void)sockspec::fuzz::append_checked_reply(line, reply);
  return 0;
}
