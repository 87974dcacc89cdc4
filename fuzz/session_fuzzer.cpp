// Fuzz harness of server::Connection over a non-blocking AF_UNIX socketpair: the peer end writes
// segments whose sizes the input chooses, may half-close, and must receive exactly what the
// service's session says for the same bytes in one chunk (echo: the input itself).
//
// Input layout (FuzzedDataProvider): from the end, the service, the half-close flag and each
// segment's size; from the front, the segments' bytes. At most kMaxInput bytes are used, far
// below the socket buffers, so no write of either side ever waits. Fresh socketpair and
// Connection per input; every loop is bounded.
#include <fuzzer/FuzzedDataProvider.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"
#include "targets/proto/service.hpp"
#include "targets/server/connection.hpp"

namespace {

using namespace sockspec;

constexpr std::size_t kMaxInput = 16 * 1024;
// Rounds of poll + on_events per pump; each round moves data or the pump stops early.
constexpr int kMaxPumpRounds = 64;

// Services whose whole output follows from their input (chargen never stops: not here).
constexpr std::string_view kServices[] = {"echo", "line", "discard", "daytime"};

proto::Context fixed_context() {
  return proto::Context{
      "127.0.0.1:54321",
      [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1'795'460'105)); }};
}

const proto::Service& service_named(std::string_view name) {
  static const auto services = [] {
    std::vector<std::unique_ptr<proto::Service>> all;
    for (const std::string_view n : kServices) all.push_back(proto::make_service(n));
    return all;
  }();
  for (const auto& s : services) {
    if (s->name() == name) return *s;
  }
  std::abort();  // kServices and make_service() disagree: a harness bug
}

// The model: what the session answers to all the bytes in one chunk, then EOF if half-closed.
// Nothing is said after the first close request, as Connection drops it.
std::string model_output(const proto::Service& service, std::string_view all, bool half_close,
                         bool& closes) {
  const auto session = service.open_session(fixed_context());
  std::string owed;
  closes = false;
  const auto take = [&](const proto::Output& out) {
    if (closes) return;
    owed += out.bytes;
    closes = out.close_after;
  };
  proto::Output opened;
  session->on_open(opened);
  take(opened);
  if (!all.empty()) {
    proto::Output data;
    session->on_data(proto::as_bytes(all), data);
    take(data);
  }
  if (half_close) {
    proto::Output eof;
    session->on_eof(eof);
    take(eof);
  }
  return owed;
}

// The test's end of the pair: reads everything waiting, notes EOF.
struct Peer {
  net::Socket socket;
  std::string received;
  bool eof = false;

  void drain() {
    std::array<std::byte, 16 * 1024> buffer;  // reads loop; a small buffer is cheap under ASan
    for (int i = 0; i < kMaxPumpRounds && !eof; ++i) {
      const auto r = net::recv_some(socket.fd(), buffer);
      if (r.outcome == net::IoOutcome::kData) {
        received += proto::as_chars(std::span(buffer).first(r.bytes));
        continue;
      }
      eof = r.outcome == net::IoOutcome::kEof;
      FUZZ_CHECK(r.outcome == net::IoOutcome::kWouldBlock || eof, "the peer reads cleanly");
      return;
    }
  }
};

// Runs the connection and the peer's reads until neither moves; bounded.
void pump(server::Connection& connection, Peer& peer) {
  for (int i = 0; i < kMaxPumpRounds && !connection.finished(); ++i) {
    const auto w =
        net::wait_for(connection.fd(), connection.interest(), -1, std::chrono::milliseconds(0));
    FUZZ_CHECK(w.outcome != net::WaitOutcome::kError, "poll works");
    const std::size_t before = peer.received.size();
    if (w.outcome == net::WaitOutcome::kReady) connection.on_events(w.revents);
    peer.drain();
    if (w.outcome != net::WaitOutcome::kReady && peer.received.size() == before) return;
  }
  peer.drain();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  FuzzedDataProvider fdp(data, size);
  const proto::Service& service = service_named(fdp.PickValueInArray(kServices));
  const bool half_close = fdp.ConsumeBool();
  std::vector<std::string> segments;
  while (fdp.remaining_bytes() > 0) {
    const auto n = fdp.ConsumeIntegralInRange<std::size_t>(1, 4096);
    segments.push_back(fdp.ConsumeBytesAsString(n));
  }

  int fds[2] = {-1, -1};
  FUZZ_CHECK(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0,
             "socketpair");
  Peer peer;
  peer.socket = net::Socket(net::Fd(fds[1]));
  auto connection = std::make_unique<server::Connection>(net::Socket(net::Fd(fds[0])),
                                                         service.open_session(fixed_context()));
  connection->open();
  pump(*connection, peer);

  std::string all;
  for (const std::string& segment : segments) {
    const auto r = net::send_some(peer.socket.fd(), proto::as_bytes(segment));
    // The server's socket stays open until the Connection is destroyed: a send always fits.
    FUZZ_CHECK(r.outcome == net::IoOutcome::kData && r.bytes == segment.size(),
               "a segment fits the socket buffer");
    all += segment;
    pump(*connection, peer);
  }
  if (half_close) {
    FUZZ_CHECK(peer.socket.shutdown_write().ok(), "half-close");
    pump(*connection, peer);
  }

  bool closes = false;
  const std::string owed = model_output(service, all, half_close, closes);
  if (service.name() == "echo") FUZZ_CHECK(owed == all, "echo owes exactly the input");
  FUZZ_CHECK(peer.received == owed,
             "the peer receives what the session owes, whatever the "
             "segmentation");
  if (half_close) {
    FUZZ_CHECK(connection->finished(), "after the peer's half-close the connection finishes");
  } else if (closes) {
    FUZZ_CHECK(connection->lingering() && peer.eof,
               "a closing session sends FIN, then waits for the peer");
  } else {
    FUZZ_CHECK(!connection->finished() && !peer.eof, "an open session stays open");
  }
  connection.reset();
  peer.drain();
  FUZZ_CHECK(peer.received == owed && peer.eof, "nothing more after the connection ends");
  return 0;
}
