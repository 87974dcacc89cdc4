// The discard service (RFC 863): everything received is dropped; nothing is ever sent.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "targets/proto/service.hpp"

namespace sockspec::proto {

// TCP: never sends a byte; the default on_eof closes after the peer's EOF (SVC-2).
class DiscardSession final : public StreamSession {
 public:
  void on_data(std::span<const std::byte> in, Output& out) override;
};

// UDP: never answers (std::nullopt for every datagram).
class DiscardDatagramService final : public DatagramService {
 public:
  [[nodiscard]] std::optional<std::string> answer(std::span<const std::byte> request,
                                                  const Context& ctx) const override;
};

}  // namespace sockspec::proto
