// print_summary and campaign_json.
#include "harness/blackbox/campaign_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace sockspec::blackbox {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace

void print_summary(std::FILE* out, const CampaignInfo& info, const CampaignResult& r) {
  fmt::print(out,
             "fuzz: {} execs in {:.1f} s ({:.0f} exec/s), {} finding{}, {} restart{}, corpus {} "
             "({} {} {}, seed {}){}{}\n",
             r.execs, r.seconds, r.execs_per_second(), r.findings.size(),
             r.findings.size() == 1 ? "" : "s", r.restarts, r.restarts == 1 ? "" : "s", r.corpus,
             info.service, mode_name(info.mode),
             info.family == scenario::Family::ipv6 ? "ipv6" : "ipv4", info.seed,
             r.edges > 0 ? fmt::format(", {} edges", r.edges) : "",
             r.interrupted ? ", interrupted" : "");
  for (const CampaignFinding& f : r.findings) {
    fmt::print(out, "  {} {}: {} -> {}\n", kind_name(f.finding.kind), f.id, f.finding.detail,
               f.file);
  }
  std::fflush(out);
}

nlohmann::json campaign_json(const CampaignInfo& info, const CampaignResult& r) {
  nlohmann::json findings = nlohmann::json::array();
  for (const CampaignFinding& f : r.findings) {
    nlohmann::json messages = nlohmann::json::array();
    for (const std::string& m : f.finding.messages) messages.push_back(hex(m));
    findings.push_back({{"id", f.id},
                        {"kind", kind_name(f.finding.kind)},
                        {"detail", f.finding.detail},
                        {"file", f.file},
                        {"exec", f.finding.exec},
                        {"seconds", f.finding.seconds},
                        {"minimised", f.finding.minimised},
                        {"reproduced", f.reproduced},
                        {"messages", messages},
                        {"stderr_tail", f.finding.stderr_tail}});
  }
  return {{"target", info.target},
          {"service", info.service},
          {"mode", mode_name(info.mode)},
          {"family", info.family == scenario::Family::ipv6 ? "ipv6" : "ipv4"},
          {"seed", info.seed},
          {"execs", r.execs},
          {"seconds", r.seconds},
          {"execs_per_second", r.execs_per_second()},
          {"restarts", r.restarts},
          {"corpus", r.corpus},
          {"probes", r.probes},
          {"edges", r.edges},
          {"interrupted", r.interrupted},
          {"error", r.error ? nlohmann::json(*r.error) : nlohmann::json(nullptr)},
          {"findings", findings}};
}

}  // namespace sockspec::blackbox
