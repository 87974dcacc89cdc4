// settle_finding and write_finding.
#include "harness/blackbox/campaign_finding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "harness/blackbox/judge.hpp"
#include "harness/blackbox/minimise.hpp"
#include "harness/blackbox/sanitizer_log.hpp"

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

net::Result<CampaignFinding> settle_finding(Finding f, LiveTarget& target,
                                            const CampaignOptions& options) {
  CampaignFinding out;
  const bool dead_and_adopted = target.adopted() && f.kind == FindingKind::died;
  if (!dead_and_adopted && !stop_requested(options.exchange.stop_fd)) {
    std::optional<std::string> error;
    const auto still_fails = [&](const Messages& candidate) {
      if (error || stop_requested(options.exchange.stop_fd)) return false;
      Replayed r = replay(candidate, target, options.exchange);
      if (r.error) error = r.error;
      return r.judgement.kind == f.kind;
    };
    out.reproduced = still_fails(f.messages);
    if (error) return net::Error{*error};
    if (out.reproduced) {
      MinimiseBudget budget;
      budget.max_attempts = options.minimise_attempts;
      budget.deadline = Clock::now() + options.minimise_time;
      Minimised m = minimise(f.messages, still_fails, budget);
      if (error) return net::Error{*error};
      f.messages = std::move(m.messages);
      f.minimised = true;
    } else {
      f.detail += " (did not fail again on a fresh target: not minimised)";
    }
  }
  if (!target.adopted()) {
    // Fresh for more fuzzing, whatever the last replay left behind.
    if (net::Status s = target.restart(); !s) return s.error();
  }
  out.id = finding_id(f);
  out.finding = std::move(f);
  return out;
}

net::Result<std::string> write_finding(const Finding& f, const std::string& id,
                                       const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::string name = id;
  std::replace(name.begin(), name.end(), '/', '-');
  const fs::path path = fs::path(out_dir) / (name + ".yaml");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return net::Error{fmt::format("creating {}: {}", out_dir, ec.message())};
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << finding_yaml(f);
  file.close();
  if (!file) return net::errno_error(errno, fmt::format("writing {}", path.string()));
  if (!f.sanitizer_report.empty()) {
    if (net::Status s = write_sanitizer_log(path.string(), f.sanitizer_report); !s)
      return s.error();
  }
  return path.string();
}

Finding campaign_finding(const Judgement& j, Messages messages, const LiveTarget& target,
                         const CampaignOptions& o, std::uint64_t exec, double seconds) {
  Finding f;
  f.kind = *j.kind;
  f.mode = o.exchange.mode;
  f.service = o.exchange.protocol ? o.exchange.protocol->name : o.exchange.service;
  if (o.exchange.protocol) f.protocol = o.exchange.protocol->steps;
  f.family = o.family;
  f.messages = std::move(messages);
  f.detail = j.detail;
  f.target = target.name();
  f.stderr_tail = target.stderr_tail();
  f.sanitizer_report = target.sanitizer_report();
  f.exec = exec;
  f.seconds = seconds;
  return f;
}

net::Status keep_finding(Finding f, LiveTarget& target, const CampaignOptions& o,
                         SharedCampaign& shared, std::size_t worker, CampaignResult& result) {
  net::Result<CampaignFinding> settled = [&] {
    const MinimiseTimer timing(shared, worker);  // not fuzzing time
    return settle_finding(std::move(f), target, o);
  }();
  if (!settled) return settled.error();
  if (!shared.first_finding(settled->id)) return {};
  net::Result<std::string> file = write_finding(settled->finding, settled->id, o.out_dir);
  if (!file) return file.error();
  settled->file = *file;
  const Finding& got = settled->finding;
  if (o.findings != nullptr) {
    fmt::print(o.findings,
               "finding: {} {}: {} (exec {}, {:.1f}s; {} message{}, {} bytes{}) -> {}{}\n",
               kind_name(got.kind), settled->id, got.detail, got.exec, got.seconds,
               got.messages.size(), got.messages.size() == 1 ? "" : "s", total_bytes(got.messages),
               got.minimised ? ", minimised" : "", *file,
               sanitizer_suffix(got.sanitizer_report));  // "; SUMMARY: ..."
    std::fflush(o.findings);
  }
  result.findings.push_back(std::move(settled).value());
  return {};
}

}  // namespace sockspec::blackbox
