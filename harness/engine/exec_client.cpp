// Client-role steps: the harness listens, runs the client program, accepts, replies by script,
// and judges how the client ended.
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>

#include <random>
#include <thread>

#include "harness/engine/executor.hpp"
#include "harness/engine/step_failure.hpp"
#include "harness/scenario/units.hpp"
#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::engine {

using scenario::Transport;
namespace step = scenario::step;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

std::span<const std::byte> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace

void Executor::exec(const Step& st, const step::Listen& k) {
  const int af = family_af(std::nullopt);
  const net::Result<net::Endpoint> where =
      net::Endpoint::from_host(af == AF_INET6 ? "::1" : "127.0.0.1", 0);
  net::Result<net::Socket> sock =
      k.transport == Transport::tcp ? net::Socket::tcp(af) : net::Socket::udp(af);
  if (!sock || !where)
    fail(st, "a listening socket", sock ? where.error().message : sock.error().message);
  if (net::Status b = sock->bind(*where); !b) fail(st, "a bound socket", b.error().message);
  if (k.transport == Transport::tcp) {
    if (net::Status l = sock->listen(16); !l) fail(st, "a listening socket", l.error().message);
  }
  if (net::Status nb = sock->set_nonblocking(true); !nb)
    fail(st, "non-blocking", nb.error().message);
  const net::Result<net::Endpoint> local = sock->local_endpoint();
  if (!local) fail(st, "the listener's address", local.error().message);
  s_.env.transcript.event(s_.label(k.as), "listening on " + local->to_string());
  {
    const std::lock_guard lock(s_.env.mutex);
    s_.env.listen_vars["listen.host"] = local->host();
    s_.env.listen_vars["listen.port"] = std::to_string(local->port());
    s_.env.listen_vars["listen.addr"] = local->to_string();
  }
  if (k.transport == Transport::tcp) {
    s_.listeners.insert_or_assign(k.as, TcpListener{std::move(sock).value(), local->to_string()});
  } else {
    UdpPeer peer;
    peer.socket = std::move(sock).value();
    peer.local = local->to_string();
    s_.udp.insert_or_assign(k.as, std::move(peer));
  }
}

void Executor::exec(const Step& st, const step::RunClient& k) {
  const scenario::TemplateVars v = vars();
  target::LaunchVars launch = s_.env.launch;
  if (const auto addr = v.find("listen.addr"); addr != v.end()) launch.connect = addr->second;
  for (const std::string& arg : k.args) launch.args.push_back(render(st, arg, v));
  if (k.stdin_) launch.stdin_data = bytes_of(st, *k.stdin_, v);
  net::Result<target::Instance> started = target::Instance::start(*s_.env.spec.profile, launch);
  if (!started) fail(st, "the client program started", started.error().message);
  s_.env.transcript.event("client", "started: " + started->command().to_string());
  const std::lock_guard lock(s_.env.mutex);
  s_.env.client.emplace(std::move(started).value());
}

void Executor::exec(const Step& st, const step::Accept& k) {
  const auto it = s_.listeners.find(k.on);
  if (it == s_.listeners.end()) fail(st, fmt::format("a TCP listener '{}'", k.on), "none is open");
  const std::string want = fmt::format("the client to connect to {}", it->second.local);
  // Waits in slices, so that a client that has already given up is reported at once, with why.
  const Clock::time_point deadline = Clock::now() + scenario::kDefaultClientWithin;
  for (;;) {
    const net::WaitResult w = net::wait_for(it->second.socket.fd(), POLLIN, s_.env.stop_fd,
                                            std::min(left(deadline), milliseconds(50)));
    if (w.outcome == net::WaitOutcome::kStopped) throw Interrupted();
    if (w.outcome == net::WaitOutcome::kReady) break;
    if (s_.env.client) {
      if (const auto status = s_.env.client->exit_status()) {
        fail(st, want, fmt::format("the client {} without connecting", status->describe()),
             "stderr: " + s_.env.client->stderr_tail());
      }
    }
    if (Clock::now() >= deadline) {
      fail(st, want,
           fmt::format("no connection within {}",
                       scenario::format_duration(scenario::kDefaultClientWithin)));
    }
  }
  const int fd = net::sys::ops().accept4(it->second.socket.fd(), nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) fail(st, want, net::errno_error(errno, "accept").message);
  TcpPeer peer;
  peer.socket = net::Socket(net::Fd(fd));
  const auto remote = peer.socket.peer_endpoint();
  peer.local = peer.socket.local_endpoint() ? peer.socket.local_endpoint()->to_string() : "";
  if (net::Status nd = peer.socket.set_no_delay(); !nd) fail(st, "TCP_NODELAY", nd.error().message);
  s_.env.transcript.event(s_.label(k.as),
                          "accepted " + (remote ? remote->to_string() : std::string("?")));
  s_.tcp.insert_or_assign(k.as, std::move(peer));
}

void Executor::exec(const Step& st, const step::Reply& k) {
  const scenario::TemplateVars v = vars(k.on);
  const std::string bytes = bytes_of(st, k.data, v);
  const std::size_t pieces = std::max<std::size_t>(1, k.pieces);
  std::uniform_int_distribution<std::int64_t> delay(k.delay.min.count(), k.delay.max.count());
  const auto piece = [&](std::size_t i) {
    const std::size_t size = (bytes.size() + pieces - 1) / pieces;
    return std::string_view(bytes).substr(std::min(bytes.size(), i * size), size);
  };
  for (std::size_t i = 0; i < pieces; ++i) {
    const auto pause = std::chrono::microseconds(delay(s_.random));
    if (pause.count() > 0) {
      const net::WaitResult w =
          net::wait_for(s_.env.stop_fd, POLLIN, -1, std::chrono::ceil<milliseconds>(pause));
      if (w.outcome == net::WaitOutcome::kReady) throw Interrupted();
    }
    const std::string_view part = piece(i);
    if (const auto t = s_.tcp.find(k.on); t != s_.tcp.end()) {
      const WriteResult w =
          write_all(t->second.socket, part, TransferLimit{kStallLimit}, s_.env.stop_fd, nullptr);
      if (w.outcome == WriteOutcome::interrupted) throw Interrupted();
      if (w.outcome != WriteOutcome::done) {
        fail(st, fmt::format("{} bytes sent to the client", bytes.size()),
             fmt::format("only {} sent: {}", w.written,
                         w.outcome == WriteOutcome::reset ? "the client reset the connection"
                                                          : "the client stopped reading"));
      }
      s_.env.transcript.sent(s_.label(k.on), part);
      continue;
    }
    UdpPeer& peer = udp(st, k.on);
    if (!peer.last_peer) fail(st, "a datagram from the client to reply to", "none received yet");
    net::Socket other;
    const net::Socket* from = &peer.socket;
    if (k.from) {  // a reply from a wrong address or port (CLI-5)
      const std::string text = render(st, *k.from, v);
      net::Result<net::Endpoint> at = net::Endpoint::parse(text);
      if (!at) at = net::Endpoint::from_host(text, 0);
      if (!at) fail(st, "an address to reply from", at.error().message);
      net::Result<net::Socket> sock = net::Socket::udp(at->family());
      if (!sock) fail(st, "a UDP socket", sock.error().message);
      if (net::Status b = sock->bind(*at); !b)
        fail(st, "a socket to reply from", b.error().message);
      other = std::move(sock).value();
      from = &other;
    }
    if (net::Status s = net::send_datagram(*from, as_bytes(part), *peer.last_peer); !s) {
      fail(st, "a reply datagram sent", s.error().message);
    }
    s_.env.transcript.sent(s_.label(k.on) + " -> " + peer.last_peer->to_string(), part);
  }
}

void Executor::exec(const Step& st, const step::ExpectClient& k) {
  if (!s_.env.client) fail(st, "a client program running", "none was started (run-client)");
  target::Instance& client = *s_.env.client;
  std::string want = k.exit ? fmt::format("the client exits with code {}", *k.exit)
                            : std::string("the client exits");
  want += fmt::format(" within {}", scenario::format_duration(k.within));
  const auto status = client.wait(duration_cast<milliseconds>(k.within));
  if (!status && interrupt_seen(s_.env.stop_fd)) throw Interrupted();
  const std::string out = client.stdout_text();
  if (!status) {
    fail(st, want, "still running",
         fmt::format("stdout: {}; stderr: {}", show_bytes(out), client.stderr_tail()));
  }
  s_.env.transcript.event("client", fmt::format("{} after {} ms; stdout {}", status->describe(),
                                                client.elapsed().count(), show_bytes(out)));
  if (k.exit && (status->signal != 0 || status->code != *k.exit)) {
    fail(st, want, status->describe(), "stderr: " + client.stderr_tail());
  }
  if (k.stdout_) {
    const Expected expected = expected_of(st, *k.stdout_, {}, vars());
    if (std::string observed = match_datagram(expected, out, "output"); !observed.empty()) {
      fail(st, "stdout: " + expected.describe(), "stdout: " + observed);
    }
  }
}

}  // namespace sockspec::engine
