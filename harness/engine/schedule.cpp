// Case costs and the start order (see schedule.hpp).
#include "harness/engine/schedule.hpp"

#include <algorithm>
#include <type_traits>

namespace sockspec::engine {
namespace {

namespace step = scenario::step;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr milliseconds kIdleWait{2000};  // a light case that sleeps this long, nearly all its
                                         // time, is idle
constexpr milliseconds kLongCase{150};   // a light case this long mostly waits; shorter cases
                                         // keep plan order
constexpr std::uint64_t kHeavyBytes = 1024 * 1024;
constexpr std::uint64_t kHeavyConnections = 32;  // a burst of clients, each with its own deadline
constexpr std::uint64_t kHeavyMessages = 1000;
// An offer waits until the peer has taken nothing for 1 s (engine: offer()).
constexpr milliseconds kOfferStall{1000};

std::uint64_t size_of(const scenario::DataSpec& d) {
  return d.kind == scenario::DataKind::pattern ? d.pattern.size : d.bytes.size();
}

milliseconds middle(const scenario::DurationRange& r) {
  return duration_cast<milliseconds>((r.min + r.max) / 2);
}

// Adds what `steps` cost, run `times` times one after the other by `clients` clients together.
void add(CaseCost& cost, const std::vector<scenario::Step>& steps, std::uint64_t times,
         std::uint64_t clients) {
  const auto wait = [&](auto d) { cost.wait += duration_cast<milliseconds>(d) * times; };
  const std::uint64_t n = times * clients;
  for (const scenario::Step& st : steps) {
    std::visit(
        [&](const auto& k) {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, step::Repeat>) {
            add(cost, k.steps, times * k.count, clients);
          } else if constexpr (std::is_same_v<K, step::Parallel>) {
            add(cost, k.steps, times, clients * k.clients);
          } else if constexpr (std::is_same_v<K, step::Connect>) {
            cost.connections += n;
          } else if constexpr (std::is_same_v<K, step::Send>) {
            const std::uint64_t size = size_of(k.data);
            const bool paced = k.segments && k.segments->gap.max.count() > 0;
            if (k.offer) {
              wait(kOfferStall);  // it moves what the peer buffers, not its size
            } else if (paced) {
              const std::uint64_t pieces =
                  size / ((k.segments->size.min + k.segments->size.max) / 2 + 1);
              wait(middle(k.segments->gap) * static_cast<std::int64_t>(pieces));
            } else {
              cost.bytes += size * n;
            }
          } else if constexpr (std::is_same_v<K, step::Exchange>) {
            if (k.offer) {
              wait(kOfferStall);
            } else if (k.use == scenario::ExchangeUse::large) {
              cost.bytes += kHeavyBytes * n;  // at least 1 MiB each (the profile's own size)
            } else {
              cost.messages += k.count * n;
            }
          } else if constexpr (std::is_same_v<K, step::SendTo>) {
            cost.messages += n;
            cost.bytes += size_of(k.data) * n;
          } else if constexpr (std::is_same_v<K, step::ExpectSilence> ||
                               std::is_same_v<K, step::ExpectNoDatagram>) {
            wait(k.for_);
          } else if constexpr (std::is_same_v<K, step::Reply>) {
            wait(middle(k.delay) * static_cast<std::int64_t>(std::max<std::uint32_t>(1, k.pieces)));
          }
        },
        st.kind);
  }
}

}  // namespace

CaseCost estimate_cost(const scenario::Scenario& s) {
  CaseCost cost;
  add(cost, s.steps, 1, 1);
  return cost;
}

Slot slot_of(const CaseCost& cost, milliseconds expected) {
  const bool heavy = cost.bytes >= kHeavyBytes || cost.connections >= kHeavyConnections ||
                     cost.messages >= kHeavyMessages;
  if (heavy) return Slot::heavy;
  if (cost.wait >= kIdleWait && cost.wait * 10 >= expected * 9) return Slot::idle;
  return expected >= kLongCase ? Slot::wait : Slot::brief;
}

std::vector<ScheduledCase> schedule(const std::vector<PlannedCase>& cases, const Timings& timings) {
  std::vector<ScheduledCase> order;
  order.reserve(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const PlannedCase& c = cases[i];
    ScheduledCase sc{i, Slot::brief, milliseconds(0)};
    if (!c.skip && !c.error) {
      const CaseCost cost = estimate_cost(*c.spec.scenario);
      const milliseconds* measured = timings.find(Timings::key(c.spec));
      // The scenario's own waits are a floor: a scenario edited to wait longer is not scheduled
      // by an older, shorter record.
      sc.expected = measured != nullptr ? std::max(*measured, cost.wait) : cost.wait;
      sc.slot = slot_of(cost, sc.expected);
    }
    order.push_back(sc);
  }
  // Stable: equal keys keep plan order (so do all short cases, whose key is 0).
  const auto rank = [](const ScheduledCase& c) {
    return c.expected >= kLongCase ? c.expected : milliseconds(0);
  };
  std::stable_sort(order.begin(), order.end(), [&](const ScheduledCase& a, const ScheduledCase& b) {
    return rank(a) > rank(b);
  });
  return order;
}

}  // namespace sockspec::engine
