// The step tests' runner and peers (see step_peers.hpp).
#include "harness/engine/tests/step_peers.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <list>
#include <thread>

#include "harness/scenario/loader.hpp"
#include "harness/target/profile.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine::step_tests {

namespace t = sockspec::testing;

Ran run_yaml(const std::string& yaml, const net::Endpoint& server, const std::string& exchanges) {
  auto s = scenario::load_scenario_text(yaml, "case.yaml");
  if (!s) {
    ADD_FAILURE() << s.error().message;
    return {Verdict::error, s.error().message, {}, {}};
  }
  std::optional<target::Profile> profile;
  if (!exchanges.empty()) {
    auto p = target::load_profile_text("name: p\nargv: [x]\nexchanges:\n" + exchanges, "p.yaml");
    if (!p) {
      ADD_FAILURE() << p.error().message;
      return {Verdict::error, p.error().message, {}, {}};
    }
    profile = std::move(p).value();
  }
  const CaseSpec spec{&*s, profile ? &*profile : nullptr, server, scenario::Family::ipv4, ""};
  CaseRun run = run_case(spec, -1);
  return {run.result.verdict, run.result.reason, run.result.failure, run.result.transcript};
}

std::string header(const std::string& needs) {
  return "id: t/case\nsummary: a test case\nrequirements: [STR-1]\nneeds: [" + needs +
         "]\nfamilies: [ipv4]\n";
}

TcpPeer::TcpPeer(Serve serve)
    : acceptor_(t::tcp_acceptor("127.0.0.1")),
      endpoint_(t::local(acceptor_.socket())),
      thread_([this, serve](int stop_fd) {
        std::list<std::jthread> workers;
        while (auto s = t::accept_one(acceptor_, stop_fd)) {
          workers.emplace_back(
              [serve, stop_fd, sock = std::move(*s)]() mutable { serve(sock, stop_fd); });
        }
      }) {}

void echo(net::Socket& s, int stop_fd) {
  echo_unless(s, stop_fd, [](int) { return false; });
}

void echo_unless(net::Socket& s, int stop_fd, const std::function<bool(int fd)>& close_instead) {
  std::string buffer(65536, '\0');
  for (;;) {
    if (net::wait_for(s.fd(), POLLIN, stop_fd, std::chrono::seconds(10)).outcome !=
        net::WaitOutcome::kReady) {
      return;
    }
    const auto r =
        net::recv_some(s.fd(), {reinterpret_cast<std::byte*>(buffer.data()), buffer.size()});
    if (r.outcome != net::IoOutcome::kData || close_instead(s.fd())) return;
    if (!t::send_bytes(s, std::string_view(buffer).substr(0, r.bytes), stop_fd)) return;
  }
}

void hold_open(net::Socket& s, int stop_fd) {
  (void)net::wait_for(stop_fd, POLLIN, -1, std::chrono::seconds(20));
  (void)s;
}

Serve say_then_hold(std::string bytes) {
  return [bytes = std::move(bytes)](net::Socket& s, int stop_fd) {
    (void)t::send_bytes(s, bytes, stop_fd);
    hold_open(s, stop_fd);
  };
}

Serve say_then_close(std::string bytes) {
  return [bytes = std::move(bytes)](net::Socket& s, int stop_fd) {
    (void)t::send_bytes(s, bytes, stop_fd);
  };  // the socket closes when the worker ends
}

void reset_at_once(net::Socket& s, int /*stop_fd*/) {
  (void)s.set_linger_zero();
}

UdpEcho::UdpEcho(bool from_other_socket)
    : socket_(t::udp_bound("127.0.0.1")),
      endpoint_(t::local(socket_)),
      thread_([this, from_other_socket](int stop_fd) {
        const net::Socket other = t::udp_bound("127.0.0.1");
        while (auto d = t::receive_from(socket_, stop_fd)) {
          (void)t::send_to(from_other_socket ? other : socket_, d->payload, d->from);
        }
      }) {}

}  // namespace sockspec::engine::step_tests
