// print_summary and campaign_json.
#include "harness/blackbox/campaign_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "harness/blackbox/sanitizer_log.hpp"

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

nlohmann::json or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::string rate_text(double per_second) {
  if (per_second >= 100 || per_second <= 0) return fmt::format("{:.0f}", per_second);
  return fmt::format("{:.3g}", per_second);
}

void print_status(std::FILE* out, std::string_view what, const CampaignStatus& s) {
  if (out == nullptr) return;
  fmt::print(out,
             "fuzz: {} {:.1f}s: {} execs ({}/s fuzzing), corpus {}, {}findings {}, restarts {}, "
             "workers {}\n",
             what, s.seconds, s.execs, rate_text(s.execs_per_second()), s.corpus,
             s.edges > 0 ? fmt::format("edges {}, ", s.edges) : "", s.findings, s.restarts,
             s.workers);
  std::fflush(out);
}

void print_summary(std::FILE* out, const CampaignInfo& info, const CampaignResult& r) {
  fmt::print(
      out,
      "fuzz: {} execs in {:.1f} s ({} exec/s fuzzing, {:.1f} s minimising), {} finding{}, "
      "{} restart{}, corpus {}, {} worker{} ({} {} {}, seed {}){}{}\n",
      r.execs, r.seconds, rate_text(r.execs_per_second()), r.minimise_seconds, r.findings.size(),
      r.findings.size() == 1 ? "" : "s", r.restarts, r.restarts == 1 ? "" : "s", r.corpus,
      r.workers, r.workers == 1 ? "" : "s", info.service, mode_name(info.mode),
      info.family == scenario::Family::ipv6 ? "ipv6" : "ipv4", info.seed,
      r.edges > 0 ? fmt::format(", {} edges", r.edges) : "", r.interrupted ? ", interrupted" : "");
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
    const std::string& report = f.finding.sanitizer_report;
    findings.back()["sanitizer_summary"] = or_null(sanitizer_summary(report));
    findings.back()["log"] = or_null(report.empty() ? "" : sanitizer_log_path(f.file));
  }
  return {{"target", info.target},
          {"service", info.service},
          {"mode", mode_name(info.mode)},
          {"family", info.family == scenario::Family::ipv6 ? "ipv6" : "ipv4"},
          {"seed", info.seed},
          {"execs", r.execs},
          {"seconds", r.seconds},
          {"minimise_seconds", r.minimise_seconds},
          {"execs_per_second", r.execs_per_second()},
          {"workers", r.workers},
          {"restarts", r.restarts},
          {"corpus", r.corpus},
          {"imported", r.imported},
          {"probes", r.probes},
          {"edges", r.edges},
          {"interrupted", r.interrupted},
          {"error", r.error ? nlohmann::json(*r.error) : nlohmann::json(nullptr)},
          {"findings", findings}};
}

}  // namespace sockspec::blackbox
