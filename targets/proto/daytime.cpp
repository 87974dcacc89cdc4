// The daytime service (RFC 867), in UTC so that the answer does not depend on the host's zone.
#include "targets/proto/daytime.hpp"

#include "targets/proto/time_format.hpp"

namespace sockspec::proto {

std::string daytime_line(const Context& ctx) {
  return format_daytime(ctx.now()) + "\r\n";
}

void DaytimeSession::on_open(Output& out) {
  out.bytes.append(daytime_line(ctx_));
  out.close_after = true;
}

void DaytimeSession::on_data(std::span<const std::byte> in, Output& out) {
  (void)in;
  (void)out;
}

std::optional<std::string> DaytimeDatagramService::answer(std::span<const std::byte> request,
                                                          const Context& ctx) const {
  (void)request;
  return daytime_line(ctx);
}

}  // namespace sockspec::proto
