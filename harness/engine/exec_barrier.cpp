// The barrier step, and how many clients a parallel block that meets at one runs (see
// barrier.hpp).
#include <fmt/format.h>

#include "harness/engine/barrier.hpp"
#include "harness/engine/executor.hpp"

namespace sockspec::engine {
namespace {

// "clients 38, 39, 40 ... (12 in all)": at most the first ten numbers.
std::string client_list(const std::vector<std::uint32_t>& clients) {
  constexpr std::size_t kShown = 10;
  std::string out = clients.size() == 1 ? "client " : "clients ";
  for (std::size_t i = 0; i < clients.size() && i < kShown; ++i) {
    out += fmt::format("{}{}", i == 0 ? "" : ", ", clients[i]);
  }
  if (clients.size() > kShown) out += fmt::format(" ... ({} in all)", clients.size());
  return out;
}

}  // namespace

void Executor::exec(const Step& st, const scenario::step::Barrier& k) {
  if (s_.barrier == nullptr) {  // the loader allows it inside parallel only
    fail(st, "a barrier inside a parallel block", "no parallel block around it");
  }
  const ClientBarrier::Outcome o =
      s_.barrier->arrive_and_wait(s_.client, k.within, [this] { check_interrupted(); });
  const std::string expected =
      fmt::format("all {} clients of the parallel block at the barrier within {}", o.clients,
                  scenario::format_duration(k.within));
  switch (o.kind) {
    case ClientBarrier::Outcome::Kind::passed:
      return;
    case ClientBarrier::Outcome::Kind::timed_out:
      fail(st, expected,
           fmt::format("{} of {} clients arrived within {}; not there: {}", o.arrived, o.clients,
                       scenario::format_duration(k.within), client_list(o.missing)));
    case ClientBarrier::Outcome::Kind::broken:
      throw BarrierReleased(Failure{
          st.where, std::string(scenario::step_name(st.kind)), expected, "released: " + o.why, {}});
  }
}

std::uint32_t Executor::clients_at_once(const scenario::step::Parallel& k) const {
  const target::Profile* profile = s_.env.spec.profile;
  if (profile == nullptr || !profile->max_clients || *profile->max_clients >= k.clients ||
      !meets_at_barrier(k.steps)) {
    return k.clients;
  }
  // All the block's clients are held at once: a server that declares it serves fewer at a time
  // is held to its word with as many as it declares.
  s_.env.transcript.event(
      s_.prefix.empty() ? "" : s_.prefix.substr(0, s_.prefix.size() - 1),
      fmt::format("parallel: {} clients, not {}: they meet at a barrier, and the profile "
                  "declares max-clients: {}",
                  *profile->max_clients, k.clients, *profile->max_clients));
  return *profile->max_clients;
}

}  // namespace sockspec::engine
