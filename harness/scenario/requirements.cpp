// The table of CONFORMANCE.md: IDs, levels and "Applies to" columns.
#include "harness/scenario/requirements.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace sockspec::scenario {
namespace {

using enum Level;
using enum Side;

const std::vector<RequirementInfo>& table() {
  // SVC rows name a service instead of an "Applies to" column: the service is the capability.
  static const std::vector<RequirementInfo> kTable = {
      {"EPH-1", must, server, {}},
      {"EPH-2", must, server, {}},
      {"EPH-3", must, server, {"tcp"}},
      {"EPH-4", must, server, {}},
      {"EPH-5", must, server, {}},
      {"EPH-6", must, server, {"dual-transport"}},
      {"ACC-1", must, server, {"tcp"}},
      {"ACC-2", must, server, {"tcp"}},
      {"ACC-3", must, server, {"tcp"}},
      {"ACC-4", must, server, {"tcp"}},
      {"ACC-5", must, server, {"tcp"}},
      {"ACC-6", must, server, {"tcp"}},
      {"ACC-7", must, server, {"tcp"}},
      {"STR-1", must, server, {"tcp", "echo"}},
      {"STR-2", must, server, {"tcp"}},
      {"STR-3", must, server, {"tcp"}},
      {"STR-4", must, server, {"tcp"}},
      {"STR-5", must, server, {"tcp"}},
      {"STR-6", must, server, {"tcp"}},
      {"STR-7", must, server, {"tcp"}},
      {"STR-8", should, server, {"tcp"}},
      {"DGR-1", must, server, {"udp"}},
      {"DGR-2", should, server, {"udp"}},
      {"DGR-3", must, server, {"udp", "echo"}},
      {"DGR-7", should, server, {"udp", "echo"}},
      {"DGR-4", must, server, {"udp"}},
      {"DGR-5", must, server, {"udp"}},
      {"DGR-6", must, server, {"udp"}},
      {"CON-1", must, server, {"concurrent"}},
      {"CON-2", must, server, {}},
      {"CON-3", must, server, {"processes"}},
      {"CON-4", must, server, {"threads"}},
      {"CON-5", must, server, {}},
      {"CON-6", must, server, {"graceful-stop"}},
      {"CLI-1", must, client, {}},
      {"CLI-2", must, client, {"tcp"}},
      {"CLI-3", must, client, {}},
      {"CLI-4", must, client, {}},
      {"CLI-5", must, client, {"udp"}},
      {"CLI-6", must, client, {}},
      {"SVC-1", must, server, {"echo"}},
      {"SVC-2", must, server, {"discard"}},
      {"SVC-3", must, server, {"daytime"}},
      {"SVC-4", must, server, {"chargen"}},
      {"SVC-6", should, server, {"chargen"}},
      {"SVC-5", must, server, {"line"}},
  };
  return kTable;
}

constexpr std::array<std::string_view, 15> kCapabilities = {
    "tcp",        "udp",     "ipv4",      "ipv6",          "dual-transport",
    "concurrent", "threads", "processes", "echo",          "discard",
    "daytime",    "chargen", "line",      "graceful-stop", "lifecycle"};

}  // namespace

std::span<const RequirementInfo> all_requirements() {
  return table();
}

const RequirementInfo* find_requirement(std::string_view id) {
  const auto& t = table();
  const auto it =
      std::find_if(t.begin(), t.end(), [&](const RequirementInfo& r) { return r.id == id; });
  return it == t.end() ? nullptr : &*it;
}

std::span<const std::string_view> all_capabilities() {
  return kCapabilities;
}

bool is_capability(std::string_view name) {
  return std::find(kCapabilities.begin(), kCapabilities.end(), name) != kCapabilities.end();
}

bool is_exchange_need(std::string_view name) {
  return std::find(std::begin(kExchangeNeeds), std::end(kExchangeNeeds), name) !=
         std::end(kExchangeNeeds);
}

bool is_launch_need(std::string_view name) {
  return std::find(std::begin(kLaunchNeeds), std::end(kLaunchNeeds), name) !=
         std::end(kLaunchNeeds);
}

}  // namespace sockspec::scenario
