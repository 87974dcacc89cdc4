// The discard service (RFC 863).
#include "targets/proto/discard.hpp"

namespace sockspec::proto {

void DiscardSession::on_data(std::span<const std::byte> in, Output& out) {
  (void)in;
  (void)out;
}

std::optional<std::string> DiscardDatagramService::answer(std::span<const std::byte> request,
                                                          const Context& ctx) const {
  (void)request;
  (void)ctx;
  return std::nullopt;
}

}  // namespace sockspec::proto
