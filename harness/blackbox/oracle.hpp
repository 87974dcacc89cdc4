// Oracles of black-box fuzzing: what a correct server answers, computed by the reference
// protocol code (targets/proto), so a live server is judged against the model byte by byte.
//
// Services with a model: echo, discard, line (TCP and UDP). Others (daytime, chargen) have no
// model here: make() returns nullptr and only liveness (death, hang) is checked.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sockspec::blackbox {

// What a correct server sends in reply to what was sent so far on one connection.
struct Owed {
  std::string bytes;    // the reply, in order (may be empty)
  bool closes = false;  // the server closes once `bytes` are sent (QUIT, overlong line, EOF)
};

// One TCP connection's model. Not thread-safe.
class StreamOracle {
 public:
  virtual ~StreamOracle() = default;
  // nullptr for a service without a model. `peer` is the client's address as the server sees
  // it ("127.0.0.1:54321", "[::1]:54321"), for WHOAMI.
  [[nodiscard]] static std::unique_ptr<StreamOracle> make(std::string_view service,
                                                          std::string peer);
  // Whether the model of `service` uses `peer` (line's WHOAMI does); if not, make() may be
  // given "" and the caller need not ask the socket for its address.
  [[nodiscard]] static bool uses_peer(std::string_view service);
  // The client sent `input` (any segmentation: the model does not care). Returns what the
  // server owes for it, beyond what earlier calls returned.
  [[nodiscard]] virtual Owed on_send(std::string_view input) = 0;
  // The client half-closed (SHUT_WR): what is owed now, and whether the server then closes.
  [[nodiscard]] virtual Owed on_eof() = 0;
  // Whether `received` is a correct reply for `owed`: std::nullopt if it is, else one line
  // saying where it differs: "expected 12 bytes, got 5", "byte 17: expected 0x41 'A', got
  // 0x42 'B'". The clock-dependent reply of TIME is compared by its form (RFC 3339 seconds).
  [[nodiscard]] virtual std::optional<std::string> check(const Owed& owed,
                                                         std::string_view received) const = 0;
};

// One UDP service's model. Stateless.
class DatagramOracle {
 public:
  virtual ~DatagramOracle() = default;
  [[nodiscard]] static std::unique_ptr<DatagramOracle> make(std::string_view service);
  // The reply datagram a correct server sends to `request` from `peer`; nullopt: no reply.
  [[nodiscard]] virtual std::optional<std::string> expected(std::string_view request,
                                                            const std::string& peer) const = 0;
  // As StreamOracle::check, for one datagram against expected(...).
  [[nodiscard]] virtual std::optional<std::string> check(const std::string& expected,
                                                         std::string_view received) const = 0;
};

// "byte 17: expected 0x41 'A', got 0x42 'B'" / "expected 12 bytes, got 5"; nullopt if equal.
[[nodiscard]] std::optional<std::string> describe_difference(std::string_view expected,
                                                             std::string_view received);

}  // namespace sockspec::blackbox
