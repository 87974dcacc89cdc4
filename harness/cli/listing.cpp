// Scenarios and profiles as JSON and as a table (see listing.hpp).
#include "harness/cli/listing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>

namespace sockspec::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string_view role_name(scenario::Role role) {
  return role == scenario::Role::client ? "client" : "server";
}

bool is_transport(std::string_view capability) {
  return capability == "tcp" || capability == "udp";
}

std::vector<std::string> transport_list(const target::Profile& profile) {
  std::vector<std::string> out;
  for (const std::string& c : profile.capabilities) {
    if (is_transport(c)) out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string scenarios_json(std::span<const scenario::Scenario* const> scenarios) {
  Json out = Json::array();
  for (const scenario::Scenario* s : scenarios) {
    Json transports = Json::array();
    for (const scenario::Transport t : s->transport)
      transports.push_back(t == scenario::Transport::udp ? "udp" : "tcp");
    Json families = Json::array();
    for (const scenario::Family f : s->families)
      families.push_back(f == scenario::Family::ipv6 ? "ipv6" : "ipv4");
    out.push_back(Json{{"id", s->id},
                       {"file", s->where.file},
                       {"summary", s->summary},
                       {"requirements", s->requirements},
                       {"tags", s->tags},
                       {"transports", std::move(transports)},
                       {"families", std::move(families)},
                       {"role", role_name(s->role)},
                       {"needs", s->needs}});
  }
  return out.dump(2) + "\n";
}

std::string transports_of(const target::Profile& profile) {
  std::string out;
  for (const std::string& t : transport_list(profile)) out += (out.empty() ? "" : ",") + t;
  return out;
}

std::string profiles_table(std::span<const target::Profile> profiles) {
  std::string out;
  for (const target::Profile& p : profiles) {
    std::string others;
    for (const std::string& c : p.capabilities) {
      if (!is_transport(c)) others += (others.empty() ? "" : " ") + c;
    }
    out += fmt::format("{:<28} {:<6} {:<8} {}  {}\n", p.name, role_name(p.role), transports_of(p),
                       others, p.where.file);
  }
  return out;
}

std::string profiles_json(std::span<const target::Profile> profiles) {
  Json out = Json::array();
  for (const target::Profile& p : profiles) {
    out.push_back(Json{{"name", p.name},
                       {"role", role_name(p.role)},
                       {"transports", transport_list(p)},
                       {"capabilities", p.capabilities},
                       {"file", p.where.file}});
  }
  return out.dump(2) + "\n";
}

}  // namespace sockspec::cli
