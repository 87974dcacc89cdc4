// The service interface every reference server drives: bytes in, replies out, no I/O.
//
// A server model owns the sockets; it hands received bytes to a StreamSession (TCP, one per
// connection) or a DatagramService (UDP, one per server) and sends what comes back. Time and the
// peer's address are passed in through Context, so the same code runs in unit tests, fuzz
// harnesses and every concurrency model.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sockspec::proto {

using Clock = std::function<std::chrono::system_clock::time_point()>;

// What a session knows about its surroundings. `peer` is formatted as the server saw it:
// "127.0.0.1:54321" or "[::1]:54321".
struct Context {
  std::string peer;
  Clock now = [] { return std::chrono::system_clock::now(); };
};

// What a session asks its driver to do after an event.
struct Output {
  std::string bytes;         // to send, in order, before anything produced later
  bool close_after = false;  // close the connection once `bytes` (and all before) are sent
};

// One TCP connection's service logic. The driver calls on_open once, then on_data for every
// chunk received (any segmentation), on_eof once when the peer half-closed, and produce()
// whenever wants_more() is true and the send buffer has room. Not thread-safe: one driver each.
class StreamSession {
 public:
  virtual ~StreamSession() = default;

  virtual void on_open(Output& out) { (void)out; }
  virtual void on_data(std::span<const std::byte> in, Output& out) = 0;
  // Default: nothing more to say; close once everything owed is sent (half-close, STR-3).
  virtual void on_eof(Output& out) { out.close_after = true; }
  // Generators (chargen) produce without input, up to `max` bytes per call.
  [[nodiscard]] virtual bool wants_more() const { return false; }
  virtual void produce(std::size_t max, Output& out) {
    (void)max;
    (void)out;
  }
};

// One UDP service. answer() is const and keeps no state between datagrams, so any number of
// threads or processes may call it at once. std::nullopt means "send nothing" (discard).
class DatagramService {
 public:
  virtual ~DatagramService() = default;
  [[nodiscard]] virtual std::optional<std::string> answer(std::span<const std::byte> request,
                                                          const Context& ctx) const = 0;
};

// A named service: makes sessions for TCP and answers datagrams for UDP.
class Service {
 public:
  virtual ~Service() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::unique_ptr<StreamSession> open_session(Context ctx) const = 0;
  [[nodiscard]] virtual const DatagramService& datagrams() const = 0;
};

// The names make_service() accepts, in the order help text lists them.
inline constexpr std::string_view kServiceNames[] = {"echo", "discard", "daytime", "chargen",
                                                     "line"};

// Returns nullptr for an unknown name.
[[nodiscard]] std::unique_ptr<Service> make_service(std::string_view name);

// Helpers for the byte/char boundary.
[[nodiscard]] inline std::string_view as_chars(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
[[nodiscard]] inline std::span<const std::byte> as_bytes(std::string_view text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

}  // namespace sockspec::proto
