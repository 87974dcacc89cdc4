// Fuzz harness of server::Connection over a non-blocking AF_UNIX socketpair: the peer end writes
// segments whose sizes the input chooses, may half-close, and must receive exactly what the
// service's session says for the same bytes in one chunk (echo: the input itself).
//
// Input layout (FuzzedDataProvider): from the end, the service, the half-close flag and for each
// segment a filler flag and a size; from the front, the literal segments' bytes. A filler segment
// is that many 'x' bytes (up to one past the 4096-byte line limit), so an overlong line costs a
// few input bytes: inputs stay small (kMaxInput), and so does the number of lines the line
// service parses per input. At most kMaxSegments segments (later bytes are ignored), far below
// the socket buffers, so no write of either side ever waits. A fresh Connection per input, on a
// socketpair that is fresh too unless the previous input left it clean (cached_pair); every loop
// is bounded.
//
// An input costs its system calls, so the connection is driven without poll() where the answer
// is known: an AF_UNIX send is queued at the other end before it returns, so after the peer sends
// (or half-closes) the server's socket is readable, and it is always writable (the buffers are
// far larger than anything sent here). The peer reads at the end, and a final poll() checks that
// nothing was left pending, as an event loop would see it.
#include <fcntl.h>
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
#include "targets/net/fd.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"
#include "targets/proto/line_request.hpp"
#include "targets/proto/service.hpp"
#include "targets/server/connection.hpp"

namespace {

using namespace sockspec;

// max_len in corpora/session.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;
constexpr std::size_t kMaxSegments = 4;
// Rounds of poll + on_events when settling, and of reads per drain: each moves data or stops.
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
  int fd = -1;
  std::string received;
  bool eof = false;

  void drain() {
    static std::array<std::byte, 64 * 1024> buffer;  // static: no ASan stack redzones per call
    for (int i = 0; i < kMaxPumpRounds && !eof; ++i) {
      const auto r = net::recv_some(fd, buffer);
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

// Reads everything the peer is owed, then lets poll() confirm the connection has nothing left
// to do (handling what it reports, and reading again, if it does); bounded. True when it got
// there (the poll found nothing, or the connection finished).
bool settle(server::Connection& connection, Peer& peer) {
  peer.drain();
  for (int i = 0; i < kMaxPumpRounds; ++i) {
    if (connection.finished()) return true;
    const auto w =
        net::wait_for(connection.fd(), connection.interest(), -1, std::chrono::milliseconds(0));
    FUZZ_CHECK(w.outcome != net::WaitOutcome::kError, "poll works");
    if (w.outcome != net::WaitOutcome::kReady) return true;
    connection.on_events(w.revents);
    peer.drain();
  }
  return false;
}

// The server's socket just became readable (the peer sent or half-closed), and it is writable:
// handle what poll would report for interest(). Everything fits the buffers: output never waits.
void step(server::Connection& connection) {
  if (connection.finished()) return;
  connection.on_events(connection.interest());
  FUZZ_CHECK(connection.finished() || (connection.interest() & POLLOUT) == 0,
             "output never waits for buffer space here");
}

// A socketpair costs more than the rest of an input (~13 us against ~2 us a send and recv on the
// 2-core CI machine), so one left clean by an input is kept for the next: neither side shut
// down, both queues read empty, nothing else about it changed. The Connection gets a dup of the
// server end, so destroying it closes its descriptor without closing the socket.
struct Pair {
  net::Fd server;
  net::Fd peer;
};

Pair& cached_pair() {
  static Pair pair;
  if (!pair.server.valid()) {
    int fds[2] = {-1, -1};
    FUZZ_CHECK(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0,
               "socketpair");
    pair.server = net::Fd(fds[0]);
    pair.peer = net::Fd(fds[1]);
  }
  return pair;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  FuzzedDataProvider fdp(data, size);
  const proto::Service& service = service_named(fdp.PickValueInArray(kServices));
  const bool half_close = fdp.ConsumeBool();

  Pair& pair = cached_pair();
  const int server_fd = ::fcntl(pair.server.get(), F_DUPFD_CLOEXEC, 0);
  FUZZ_CHECK(server_fd >= 0, "dup");
  Peer peer;
  peer.fd = pair.peer.get();
  auto connection = std::make_unique<server::Connection>(net::Socket(net::Fd(server_fd)),
                                                         service.open_session(fixed_context()));
  connection->open();

  std::string all;
  for (std::size_t i = 0; i < kMaxSegments && fdp.remaining_bytes() > 0; ++i) {
    const bool filler = fdp.ConsumeBool();
    const auto n = fdp.ConsumeIntegralInRange<std::size_t>(1, proto::kMaxLineBytes + 1);
    const std::string segment = filler ? std::string(n, 'x') : fdp.ConsumeBytesAsString(n);
    const auto r = net::send_some(peer.fd, proto::as_bytes(segment));
    // The server's socket stays open until the Connection is destroyed: a send always fits.
    FUZZ_CHECK(r.outcome == net::IoOutcome::kData && r.bytes == segment.size(),
               "a segment fits the socket buffer");
    all += segment;
    step(*connection);
  }
  if (half_close) {
    FUZZ_CHECK(::shutdown(peer.fd, SHUT_WR) == 0, "half-close");
    step(*connection);
  }
  const bool settled = settle(*connection, peer);

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
  // An open session read everything (the last poll found nothing) and shut nothing down: the
  // pair is clean. Otherwise the harness closes its server end first, so the peer's EOF below
  // comes from the Connection closing its own descriptor.
  const bool clean = settled && !half_close && !closes && !connection->finished() && !peer.eof;
  if (!clean) pair.server.reset();
  connection.reset();
  FUZZ_CHECK(::fcntl(server_fd, F_GETFD) == -1, "a destroyed connection closes its socket");
  if (!clean) {
    peer.drain();
    FUZZ_CHECK(peer.received == owed && peer.eof, "nothing more after the connection ends");
    pair.peer.reset();
  }
  return 0;
}
