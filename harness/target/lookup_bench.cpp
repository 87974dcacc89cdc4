// The cost of finding a target's listening sockets (expect-endpoint, readiness by proc, the
// census) with 0 and then 20000 unrelated TIME_WAIT sockets on the machine: sock_diag, and the
// /proc/net scan it replaced. The floor is sock_diag's cost with none.
//   cmake --preset release && cmake --build --preset release --target lookup_bench
//   build/release/bin/lookup_bench
// The TIME_WAIT sockets are the server's ends (it closes first), so no ephemeral port stays
// taken; they last the kernel's 60 s.
#include <benchmark/benchmark.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdint>
#include <set>
#include <stdexcept>

#include "harness/target/sock_diag.hpp"
#include "targets/net/fd.hpp"
#include "targets/net/socket.hpp"

namespace {

using namespace sockspec;

// A listener on 127.0.0.1 and its inode: the socket every lookup asks for.
struct Listener {
  net::Socket socket;
  net::Endpoint where;
  std::uint64_t inode = 0;
};

Listener& listener() {
  static Listener l = [] {
    net::Result<net::Socket> s = net::Socket::tcp(AF_INET);
    if (!s || !s->bind(*net::Endpoint::from_host("127.0.0.1", 0)) || !s->listen(64))
      throw std::runtime_error("cannot listen on 127.0.0.1");
    struct stat st {};
    ::fstat(s->fd(), &st);
    net::Endpoint where = *s->local_endpoint();
    return Listener{std::move(*s), where, st.st_ino};
  }();
  return l;
}

// Makes TIME_WAIT sockets until this process has made `count` of them.
void ensure_time_waits(std::size_t count) {
  static std::size_t made = 0;
  for (; made < count; ++made) {
    net::Result<net::Socket> client = net::Socket::tcp(AF_INET);
    if (!client || !client->connect(listener().where)) throw std::runtime_error("connect");
    net::Fd served(::accept4(listener().socket.fd(), nullptr, nullptr, SOCK_CLOEXEC));
    served.reset();           // the server closes first: its end will be in TIME_WAIT
    *client = net::Socket();  // the client's FIN completes it
  }
}

template <auto Lookup>
void BM_Lookup(benchmark::State& state) {
  ensure_time_waits(static_cast<std::size_t>(state.range(0)));
  const std::set<std::uint64_t> inodes{listener().inode};
  for (auto _ : state) {
    auto found = Lookup(inodes, nullptr);
    if (!found || found->size() != 1) {
      state.SkipWithError("the listener was not found");
      break;
    }
  }
}
BENCHMARK(BM_Lookup<target::diag_bound_sockets>)
    ->Name("BM_LookupSockDiag")
    ->Arg(0)
    ->Arg(20000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Lookup<target::proc_bound_sockets>)
    ->Name("BM_LookupProcNet")
    ->Arg(20000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
