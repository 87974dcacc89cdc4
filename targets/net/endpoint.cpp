// Parsing and printing of endpoints; numeric addresses only, so nothing here blocks on DNS.
#include "targets/net/endpoint.hpp"

#include <arpa/inet.h>
#include <fmt/core.h>

#include <charconv>
#include <cstring>

namespace sockspec::net {
namespace {

Error bad(std::string_view text, std::string_view why) {
  return Error{fmt::format("invalid address '{}': {}", text, why)};
}

Result<std::uint16_t> parse_port(std::string_view whole, std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value > 65535) {
    return bad(whole, "port must be a number from 0 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

Result<Endpoint> Endpoint::from_host(std::string_view host, std::uint16_t port) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string text(host);
  Endpoint e;
  if (text.find(':') == std::string::npos) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    if (::inet_pton(AF_INET, text.c_str(), &sin.sin_addr) != 1) {
      return bad(host, "not a numeric IPv4 or IPv6 address");
    }
    std::memcpy(&e.storage_, &sin, sizeof sin);
    e.length_ = sizeof sin;
  } else {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    if (::inet_pton(AF_INET6, text.c_str(), &sin6.sin6_addr) != 1) {
      return bad(host, "not a numeric IPv6 address");
    }
    std::memcpy(&e.storage_, &sin6, sizeof sin6);
    e.length_ = sizeof sin6;
  }
  return e;
}

Result<Endpoint> Endpoint::parse(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad(text, "expected [IPV6]:PORT");
    }
    host = text.substr(0, close + 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad(text, "expected HOST:PORT");
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) {
      return bad(text, "an IPv6 address needs brackets: [::1]:PORT");
    }
    port = text.substr(colon + 1);
  }
  auto number = parse_port(text, port);
  if (!number) return number.error();
  return from_host(host, *number);
}

Result<Endpoint> Endpoint::from_sockaddr(const sockaddr* addr, socklen_t len) {
  Endpoint e;
  if (addr->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    e.length_ = sizeof(sockaddr_in);
  } else if (addr->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    e.length_ = sizeof(sockaddr_in6);
  } else {
    return Error{fmt::format("unsupported address family {}", addr->sa_family)};
  }
  std::memcpy(&e.storage_, addr, e.length_);
  return e;
}

std::uint16_t Endpoint::port() const {
  if (is_ipv6()) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
}

Endpoint Endpoint::with_port(std::uint16_t port) const {
  Endpoint e = *this;
  if (is_ipv6()) {
    reinterpret_cast<sockaddr_in6*>(&e.storage_)->sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in*>(&e.storage_)->sin_port = htons(port);
  }
  return e;
}

bool Endpoint::is_wildcard() const {
  if (is_ipv6()) {
    const auto* a = &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
    return IN6_IS_ADDR_UNSPECIFIED(a);
  }
  return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr == htonl(INADDR_ANY);
}

std::string Endpoint::host() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_ipv6()) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text,
                sizeof text);
  } else {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text,
                sizeof text);
  }
  return text;
}

std::string Endpoint::to_string() const {
  if (length_ == 0) return "(none)";
  if (is_ipv6()) return fmt::format("[{}]:{}", host(), port());
  return fmt::format("{}:{}", host(), port());
}

bool operator==(const Endpoint& a, const Endpoint& b) {
  return a.length_ == b.length_ && a.family() == b.family() && a.port() == b.port() &&
         a.host() == b.host();
}

}  // namespace sockspec::net
