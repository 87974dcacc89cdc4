// The daytime service (RFC 867): one line with the current UTC date and time.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>

#include "targets/proto/service.hpp"

namespace sockspec::proto {

// The line both transports send: format_daytime(ctx.now()) + "\r\n", e.g.
// "Monday, November 23, 2026 18:55:05-UTC\r\n". Printable ASCII but for the CR LF.
[[nodiscard]] std::string daytime_line(const Context& ctx);

// TCP: on_open sends the line and asks to close after it (SVC-3); input is ignored, and the
// default on_eof (close) applies if the peer half-closes before the line is sent.
class DaytimeSession final : public StreamSession {
 public:
  explicit DaytimeSession(Context ctx) : ctx_(std::move(ctx)) {}

  void on_open(Output& out) override;
  void on_data(std::span<const std::byte> in, Output& out) override;

 private:
  Context ctx_;
};

// UDP: any datagram, whatever its content (empty too), gets the line.
class DaytimeDatagramService final : public DatagramService {
 public:
  [[nodiscard]] std::optional<std::string> answer(std::span<const std::byte> request,
                                                  const Context& ctx) const override;
};

}  // namespace sockspec::proto
