// The echo service (RFC 862).
#include "targets/proto/echo.hpp"

namespace sockspec::proto {

void EchoSession::on_data(std::span<const std::byte> in, Output& out) {
  out.bytes.append(as_chars(in));
}

std::optional<std::string> EchoDatagramService::answer(std::span<const std::byte> request,
                                                       const Context& ctx) const {
  (void)ctx;
  return std::string(as_chars(request));  // engaged even when empty: a 0-byte reply is sent
}

}  // namespace sockspec::proto
