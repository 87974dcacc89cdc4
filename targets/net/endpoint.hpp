// Endpoint: an IPv4 or IPv6 address and port, parsed from and printed as "127.0.0.1:80" /
// "[::1]:80".
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::net {

class Endpoint {
 public:
  Endpoint() = default;

  // "HOST:PORT" with HOST a numeric IPv4 address or a bracketed IPv6 one ("[::1]:80").
  [[nodiscard]] static Result<Endpoint> parse(std::string_view text);
  // A numeric host without port ("127.0.0.1", "::1", "[::1]") and a port.
  [[nodiscard]] static Result<Endpoint> from_host(std::string_view host, std::uint16_t port);
  // Copies what a system call filled in; AF_INET and AF_INET6 only.
  [[nodiscard]] static Result<Endpoint> from_sockaddr(const sockaddr* addr, socklen_t len);

  [[nodiscard]] int family() const { return storage_.ss_family; }
  [[nodiscard]] bool is_ipv6() const { return family() == AF_INET6; }
  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] Endpoint with_port(std::uint16_t port) const;
  [[nodiscard]] bool is_wildcard() const;

  [[nodiscard]] const sockaddr* sockaddr_ptr() const {
    return reinterpret_cast<const sockaddr*>(&storage_);
  }
  [[nodiscard]] socklen_t size() const { return length_; }

  // "127.0.0.1:54321" or "[::1]:54321".
  [[nodiscard]] std::string to_string() const;
  // The address alone: "127.0.0.1" or "::1".
  [[nodiscard]] std::string host() const;

  friend bool operator==(const Endpoint& a, const Endpoint& b);

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

}  // namespace sockspec::net
