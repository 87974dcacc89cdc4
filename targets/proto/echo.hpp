// The echo service (RFC 862): every byte or datagram received is sent back unchanged.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "targets/proto/service.hpp"

namespace sockspec::proto {

// TCP: echoes every byte, in order, whatever the segmentation (STR-1, STR-2). On EOF the default
// on_eof closes once everything received has been sent back (STR-3).
class EchoSession final : public StreamSession {
 public:
  void on_data(std::span<const std::byte> in, Output& out) override;
};

// UDP: the datagram back, byte for byte, 0-byte datagrams included (DGR-3, DGR-7).
class EchoDatagramService final : public DatagramService {
 public:
  [[nodiscard]] std::optional<std::string> answer(std::span<const std::byte> request,
                                                  const Context& ctx) const override;
};

}  // namespace sockspec::proto
