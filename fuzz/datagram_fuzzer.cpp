// Fuzz harness of the UDP datagram path: a client socket sends each datagram to a server socket
// on 127.0.0.1 (loopback only), the server side receives it with net::receive_datagram and
// answers with server::answer_datagram, and the client must get exactly the service's answer,
// from the server's address, or nothing when the service answers nothing (discard).
//
// Input layout (FuzzedDataProvider): from the end, the service, the number of datagrams and each
// one's size; from the front, their bytes. Both sockets are made once (a static) and reused;
// one datagram is in flight at a time and every wait is bounded.
//
// An input costs its system calls, so a datagram is received without poll() when it is already
// queued, as it normally is: loopback delivery completes inside the sender's sendmsg. Only when
// it is not does the harness wait (bounded) for it. The client reads answers into a buffer
// sized for them, not the 64 KiB the server's receive_datagram zeroes for any datagram.
#include <fuzzer/FuzzedDataProvider.h>
#include <netinet/in.h>
#include <poll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/endpoint.hpp"
#include "targets/net/io.hpp"
#include "targets/net/socket.hpp"
#include "targets/proto/service.hpp"
#include "targets/server/serve.hpp"

namespace {

using namespace sockspec;

// max_len in corpora/datagram.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;
constexpr std::size_t kMaxDatagrams = 4;
constexpr std::size_t kMaxDatagramBytes = 5000;  // a little over the line service's limit
// No answer is longer than its request (echo) or a short line: a truncated one is an error.
constexpr std::size_t kAnswerBuffer = 2 * kMaxDatagramBytes;
// Loopback delivery is immediate; this only bounds a wait that should never be needed.
constexpr std::chrono::milliseconds kDeliveryWait{2000};

// Every service: the answer of each is a pure function of the request, the peer and the time.
constexpr std::string_view kServices[] = {"echo", "line", "discard", "daytime", "chargen"};

// A non-blocking UDP socket bound to 127.0.0.1 on an ephemeral port; aborts if that fails.
net::Socket loopback_udp() {
  auto socket = net::Socket::udp(AF_INET);
  FUZZ_CHECK(socket.ok(), "udp socket");
  auto where = net::Endpoint::parse("127.0.0.1:0");
  FUZZ_CHECK(where.ok(), "parse 127.0.0.1:0");
  FUZZ_CHECK(socket->bind(*where).ok(), "bind 127.0.0.1:0");
  FUZZ_CHECK(socket->set_nonblocking(true).ok(), "non-blocking");
  return std::move(socket).value();
}

struct Setup {
  net::Socket server = loopback_udp();
  net::Socket client = loopback_udp();
  net::Endpoint server_address;
  net::Endpoint client_address;
  proto::Context client_context;  // the model's: the client's address, the real clock
  std::vector<std::unique_ptr<proto::Service>> services;

  Setup() {
    FUZZ_CHECK(net::enable_destination_info(server, AF_INET).ok(), "IP_PKTINFO");
    auto s = server.local_endpoint();
    auto c = client.local_endpoint();
    FUZZ_CHECK(s.ok() && c.ok(), "getsockname");
    server_address = *s;
    client_address = *c;
    client_context.peer = client_address.to_string();
    for (const std::string_view name : kServices) services.push_back(proto::make_service(name));
  }

  [[nodiscard]] const proto::Service& service(std::string_view name) const {
    for (const auto& s : services) {
      if (s->name() == name) return *s;
    }
    std::abort();  // kServices and make_service() disagree: a harness bug
  }
};

Setup& setup() {
  static Setup s;
  return s;
}

// Receives a datagram on `socket` (at most `buffer` bytes), waiting for it (bounded) only if it
// is not queued yet; std::nullopt if none came.
std::optional<net::Datagram> receive_within(const net::Socket& socket,
                                            std::chrono::milliseconds wait,
                                            std::size_t buffer = net::kMaxDatagram) {
  auto got = net::receive_datagram(socket, buffer);
  FUZZ_CHECK(got.ok(), "recvmsg works");
  if (got->has_value() || wait.count() == 0) return std::move(got).value();
  const auto w = net::wait_for(socket.fd(), POLLIN, -1, wait);
  FUZZ_CHECK(w.outcome != net::WaitOutcome::kError, "poll works");
  if (w.outcome != net::WaitOutcome::kReady) return std::nullopt;
  got = net::receive_datagram(socket, buffer);
  FUZZ_CHECK(got.ok(), "recvmsg works");
  return std::move(got).value();
}

// An answer (or a stray datagram) at the client, waiting at most `wait` for it.
std::optional<net::Datagram> answer_within(const Setup& s, std::chrono::milliseconds wait) {
  auto answer = receive_within(s.client, wait, kAnswerBuffer);
  FUZZ_CHECK(!answer || !answer->truncated, "an answer fits the client's buffer");
  return answer;
}

// One request: sent by the client, answered by the server, checked at the client.
void exchange(const Setup& s, const proto::Service& service, const std::string& request) {
  // The answer may depend on the time (daytime, TIME): the reply must equal the model at some
  // instant of the exchange, so the model is taken before and after it.
  const proto::Context& ctx = s.client_context;
  const auto before = service.datagrams().answer(proto::as_bytes(request), ctx);
  FUZZ_CHECK(net::send_datagram(s.client, proto::as_bytes(request), s.server_address).ok(),
             "the client sends");
  const auto received = receive_within(s.server, kDeliveryWait);
  FUZZ_CHECK(received.has_value(), "loopback delivers the request");
  FUZZ_CHECK(proto::as_chars(received->payload) == request, "the server reads the whole request");
  FUZZ_CHECK(received->peer == s.client_address, "the server sees the client's address");
  server::answer_datagram(s.server, *received, service);
  // An answer is on the loopback queue once sendmsg returned; none can come for discard.
  const auto reply = answer_within(s, before ? kDeliveryWait : std::chrono::milliseconds(0));
  const auto after = service.datagrams().answer(proto::as_bytes(request), ctx);
  FUZZ_CHECK(before.has_value() == after.has_value(), "answering does not depend on the time");
  if (!before) {
    FUZZ_CHECK(!reply.has_value(), "no answer is sent when the service has none");
    return;
  }
  FUZZ_CHECK(reply.has_value(), "the answer arrives");
  const std::string_view got = proto::as_chars(reply->payload);
  FUZZ_CHECK(got == *before || got == *after, "the answer is the service's answer");
  FUZZ_CHECK(reply->peer == s.server_address, "the answer comes from the server's address");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  const Setup& s = setup();
  FuzzedDataProvider fdp(data, size);
  const proto::Service& service = s.service(fdp.PickValueInArray(kServices));
  const auto count = fdp.ConsumeIntegralInRange<std::size_t>(1, kMaxDatagrams);
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = fdp.ConsumeIntegralInRange<std::size_t>(0, kMaxDatagramBytes);
    exchange(s, service, fdp.ConsumeBytesAsString(n));
  }
  // Nothing stray may be left for the next input (a late or duplicated answer).
  FUZZ_CHECK(!answer_within(s, std::chrono::milliseconds(0)).has_value(),
             "no datagram beyond the answers");
  return 0;
}
