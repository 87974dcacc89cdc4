// The character generator service (RFC 864), copying slices of one precomputed 95-line cycle.
#include "targets/proto/chargen.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace sockspec::proto {
namespace {

// The whole cycle, built at compile time; produce() copies from it instead of computing bytes.
constexpr std::array<char, kChargenCycleBytes> kCycle = [] {
  std::array<char, kChargenCycleBytes> cycle{};
  for (std::size_t i = 0; i < cycle.size(); ++i) cycle[i] = chargen_byte(i);
  return cycle;
}();

}  // namespace

void append_chargen(std::size_t offset, std::size_t count, std::string& out) {
  out.reserve(out.size() + count);
  std::size_t at = offset % kChargenCycleBytes;
  while (count > 0) {
    const std::size_t n = std::min(count, kChargenCycleBytes - at);
    out.append(std::string_view(kCycle.data() + at, n));
    count -= n;
    at = (at + n) % kChargenCycleBytes;
  }
}

void ChargenSession::on_data(std::span<const std::byte> in, Output& out) {
  (void)in;
  (void)out;
}

void ChargenSession::on_eof(Output& out) {
  (void)out;
}

void ChargenSession::produce(std::size_t max, Output& out) {
  append_chargen(position_, max, out.bytes);
  position_ = (position_ + max % kChargenCycleBytes) % kChargenCycleBytes;
}

std::optional<std::string> ChargenDatagramService::answer(std::span<const std::byte> request,
                                                          const Context& ctx) const {
  (void)request;
  (void)ctx;
  std::string reply;
  append_chargen(0, kChargenDatagramLines * kChargenLineBytes, reply);
  return reply;
}

}  // namespace sockspec::proto
