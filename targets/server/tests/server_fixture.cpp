// Starting, reading READY from, and stopping the server under test; byte helpers.
#include "targets/server/tests/server_fixture.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <sstream>

#include "targets/net/io.hpp"

namespace sockspec::server::tests {
namespace {

constexpr std::string_view kModels[] = {"iterative", "threads", "processes", "epoll"};

std::vector<Variant> variants(bool include_iterative) {
  std::vector<Variant> out;
  for (const auto model : kModels) {
    if (!include_iterative && model == "iterative") continue;
    for (const char* host : {"127.0.0.1", "::1"}) out.push_back({std::string(model), host});
  }
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& w : words) line += (line.empty() ? "" : " ") + w;
  return line;
}

// Parses "READY tcp 127.0.0.1:41234" into its transport and endpoint.
net::Result<std::pair<std::string, net::Endpoint>> parse_ready(const std::string& line) {
  std::istringstream words(line);
  std::string ready, transport, where, extra;
  if (!(words >> ready >> transport >> where) || (words >> extra) || ready != "READY" ||
      (transport != "tcp" && transport != "udp")) {
    return net::Error{"not a READY line: '" + line + "'"};
  }
  auto endpoint = net::Endpoint::parse(where);
  if (!endpoint) return endpoint.error();
  return std::pair{transport, *endpoint};
}

}  // namespace

void PrintTo(const Variant& variant, std::ostream* os) {
  *os << variant.model << " over " << variant.host;
}

std::vector<Variant> all_variants() {
  return variants(true);
}
std::vector<Variant> concurrent_variants() {
  return variants(false);
}

std::string variant_name(const ::testing::TestParamInfo<Variant>& info) {
  return info.param.model + (info.param.host == "::1" ? "_ipv6" : "_ipv4");
}

std::size_t ready_count(const Launch& launch) {
  const std::size_t transports = launch.transport == "tcp,udp" ? 2 : 1;
  return transports * std::max<std::size_t>(1, launch.binds.size());
}

std::vector<std::string> server_argv(const std::string& model, const Launch& launch) {
  std::vector<std::string> argv = {st::program_path("sockspec-server"),
                                   "--model",
                                   model,
                                   "--service",
                                   launch.service,
                                   "--transport",
                                   launch.transport,
                                   "--port",
                                   std::to_string(launch.port)};
  for (const auto& b : launch.binds) {
    argv.push_back("--bind");
    argv.push_back(b);
  }
  argv.insert(argv.end(), launch.extra.begin(), launch.extra.end());
  return argv;
}

net::Result<StartedServer> start_server(const std::vector<std::string>& argv, std::size_t count,
                                        milliseconds timeout) {
  auto process = st::ChildProcess::start(argv);
  if (!process) return process.error();
  StartedServer server{std::move(*process), {}, {}, {}};
  server.ready_lines = server.process.read_lines(count, timeout);
  auto failed = [&](const std::string& why) {
    return net::Error{why + "\n  command: " + join(argv) + "\n  stdout: '" + server.process.out() +
                      "'\n  stderr: '" + server.process.err() + "'"};
  };
  if (server.ready_lines.size() != count) {
    return failed("expected " + std::to_string(count) + " READY lines within " +
                  std::to_string(timeout.count()) + " ms, got " +
                  std::to_string(server.ready_lines.size()));
  }
  for (const auto& line : server.ready_lines) {
    auto entry = parse_ready(line);
    if (!entry) return failed(entry.error().message);
    (entry->first == "tcp" ? server.tcp : server.udp).push_back(entry->second);
  }
  return server;
}

std::string pattern(std::size_t size, std::uint32_t seed) {
  std::string out(size, '\0');
  std::uint32_t state = seed * 2654435761U + 1;
  for (std::size_t i = 0; i < size; ++i) {
    state = state * 1664525U + 1013904223U;  // Numerical Recipes LCG: cheap and reproducible
    out[i] = static_cast<char>(state >> 24);
  }
  return out;
}

::testing::AssertionResult same_bytes(std::string_view got, std::string_view want) {
  if (got == want) return ::testing::AssertionSuccess();
  const auto diff = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
  const auto at = static_cast<std::size_t>(diff.first - got.begin());
  auto shown = [at](std::string_view s) {
    std::ostringstream hex;
    for (std::size_t i = at; i < std::min(s.size(), at + 16); ++i) {
      hex << ' ' << std::hex << static_cast<int>(static_cast<unsigned char>(s[i]));
    }
    return hex.str();
  };
  return ::testing::AssertionFailure()
         << "got " << got.size() << " bytes, want " << want.size() << "; first difference at " << at
         << ": got" << shown(got) << ", want" << shown(want);
}

std::string current_year() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return std::to_string(static_cast<int>(std::chrono::year_month_day(today).year()));
}

namespace {

constexpr std::size_t kChargenLine = 74;  // 72 characters, CR, LF
constexpr std::size_t kChargenCycle = 95 * kChargenLine;

// One whole cycle of the pattern (95 lines), written out from the rule of docs/requirements.md.
const std::string& chargen_cycle() {
  static const std::string cycle = [] {
    std::string c;
    for (std::size_t i = 0; i < kChargenCycle; ++i) {
      const std::size_t line = i / kChargenLine;
      const std::size_t column = i % kChargenLine;
      c += column == 72   ? '\r'
           : column == 73 ? '\n'
                          : static_cast<char>(' ' + (line + column) % 95);
    }
    return c;
  }();
  return cycle;
}

}  // namespace

std::string chargen_bytes(std::size_t offset, std::size_t count) {
  std::string out;
  out.reserve(count);
  while (out.size() < count) {
    const std::size_t at = (offset + out.size()) % kChargenCycle;
    out.append(chargen_cycle(), at, std::min(kChargenCycle - at, count - out.size()));
  }
  return out;
}

::testing::AssertionResult is_chargen(std::string_view got, std::size_t offset) {
  const std::string_view cycle = chargen_cycle();
  for (std::size_t done = 0; done < got.size();) {
    const std::size_t at = (offset + done) % kChargenCycle;
    const std::size_t n = std::min(kChargenCycle - at, got.size() - done);
    if (got.substr(done, n) != cycle.substr(at, n)) {
      return ::testing::AssertionFailure()
             << "not the chargen pattern in bytes " << done << ".." << done + n << " of "
             << got.size() << ": "
             << same_bytes(got.substr(done, n), cycle.substr(at, n)).message();
    }
    done += n;
  }
  return ::testing::AssertionSuccess();
}

std::optional<std::string> second_local_address(bool ipv6) {
  if (!ipv6) return "127.0.0.2";  // all of 127/8 is local on Linux
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (const ifaddrs* i = list; i != nullptr && !found; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET6) continue;
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
    if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) || IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr)) {
      continue;
    }
    auto e = net::Endpoint::from_sockaddr(i->ifa_addr, sizeof(sockaddr_in6));
    if (!e) continue;
    // Usable only if a socket can bind it (a tentative address cannot be bound yet).
    auto probe = net::Socket::udp(AF_INET6);
    if (probe && probe->bind(*e)) found = e->host();
  }
  ::freeifaddrs(list);
  return found;
}

Drain::Drain(const net::Socket& socket)
    : thread_([this, fd = socket.fd()](const std::stop_token& stop) {
        std::vector<std::byte> buffer(256 * 1024);
        while (!stop.stop_requested()) {
          const auto w = net::wait_for(fd, POLLIN, -1, 50ms);
          if (w.outcome == net::WaitOutcome::kTimeout) continue;
          if (w.outcome != net::WaitOutcome::kReady) return;
          const auto r = net::recv_some(fd, buffer);
          if (r.outcome == net::IoOutcome::kData) {
            bytes_ += r.bytes;
          } else if (r.outcome != net::IoOutcome::kWouldBlock) {
            return;
          }
        }
      }) {}

void ServerTest::TearDown() {
  if (!server_) return;
  if (!stopped_) {
    const auto status = stop(5s);
    EXPECT_TRUE(status && status->exited(0))
        << "the server did not stop cleanly on SIGTERM: "
        << (status ? "code " + std::to_string(status->code) + ", signal " +
                         std::to_string(status->signal)
                   : std::string("still running after 5 s"));
  }
  if (HasFailure()) {
    std::cerr << "--- server stderr:\n" << server_->process.err() << "--- end of server stderr\n";
  }
}

bool ServerTest::start(const Launch& launch) {
  Launch l = launch;
  if (l.binds.empty()) l.binds = {variant().host};
  auto started = start_server(server_argv(variant().model, l), ready_count(l));
  if (!started) {
    ADD_FAILURE() << started.error().message;
    return false;
  }
  server_.emplace(std::move(*started));
  return true;
}

std::optional<st::ExitStatus> ServerTest::stop(milliseconds timeout) {
  stopped_ = true;
  server_->process.signal(SIGTERM);
  return server_->process.wait(timeout);
}

net::Socket ServerTest::connect() const {
  auto socket = st::connect_tcp(tcp());
  if (!socket) {
    ADD_FAILURE() << socket.error().message;
    return {};
  }
  return std::move(*socket);
}

net::Socket ServerTest::udp_client() const {
  auto socket = st::open_udp_client(udp());
  if (!socket) {
    ADD_FAILURE() << socket.error().message;
    return {};
  }
  return std::move(*socket);
}

}  // namespace sockspec::server::tests
