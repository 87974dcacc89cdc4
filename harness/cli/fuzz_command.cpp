// `sockspec fuzz`: start (or adopt) the targets, run the campaign's workers, stop the targets,
// report.
// Ctrl-C / SIGTERM end the campaign cleanly: target stopped, summary and findings written, 130.
// A report on stdout (--json - or --sarif -) has stdout to itself: the campaign's lines go to
// stderr.
#include <fmt/format.h>
#include <signal.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/campaign_workers.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/blackbox/sarif.hpp"
#include "harness/cli/commands.hpp"
#include "harness/cli/fuzz_setup.hpp"
#include "harness/report/file_output.hpp"
#include "targets/net/signal_pipe.hpp"

namespace sockspec::cli {
namespace {

// Writes `doc` to `path` ("-": stdout). Strings may hold any bytes: replaced, never thrown.
net::Status write_document(const std::string& path, const nlohmann::json& doc) {
  return report::write_file_atomically(
      path, doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace

int fuzz_command(const FuzzOptions& options) {
  net::Result<FuzzSetup> setup = fuzz_setup(options);
  if (!setup) {
    fmt::print(stderr, "sockspec fuzz: {}\n", setup.error().message);
    return kExitUsage;
  }
  const std::pair<const char*, const std::string*> reports[] = {{"--json", &options.json},
                                                                {"--sarif", &options.sarif}};
  for (const auto& [flag, path] : reports) {  // before the campaign, not after it
    if (path->empty()) continue;
    if (net::Status s = report::check_writable(*path); !s) {
      fmt::print(stderr, "sockspec fuzz: {}: {}\n", flag, s.error().message);
      return kExitUsage;
    }
  }
  std::FILE* console = options.report_on_stdout() ? stderr : stdout;
  net::ignore_sigpipe();
  net::Result<net::SignalPipe> interrupt = net::SignalPipe::install({SIGINT, SIGTERM});
  if (!interrupt) {
    fmt::print(stderr, "sockspec fuzz: {}\n", interrupt.error().message);
    return kExitError;
  }
  blackbox::CampaignOptions& campaign = setup->campaign;
  campaign.exchange.stop_fd = interrupt->fd();
  campaign.findings = console;

  for (const std::string& warning : setup->warnings) {
    fmt::print(stderr, "sockspec fuzz: warning: {}\n", warning);
  }
  // On the console, first: whoever runs the campaign learns that it runs, and where.
  const auto started = [&](const std::vector<net::Endpoint>& endpoints) {
    std::string where;
    for (const net::Endpoint& e : endpoints) where += (where.empty() ? "" : ", ") + e.to_string();
    const std::size_t resumed = campaign.corpus_folder.resume.size();
    fmt::print(console,
               "fuzz: {} at {} ({} {}), seed {}, {} seed inputs{}, for {} ms, {} worker{}\n",
               setup->info.target, where, setup->info.service,
               blackbox::mode_name(campaign.exchange.mode), campaign.seed, campaign.seeds.size(),
               resumed > 0 ? fmt::format(", {} corpus inputs run first", resumed) : "",
               campaign.duration.count(), endpoints.size(), endpoints.size() == 1 ? "" : "s");
    std::fflush(console);
  };
  // Each worker starts its target from its own thread, which outlives it (PR_SET_PDEATHSIG).
  net::Result<blackbox::CampaignResult> ran =
      blackbox::run_workers(setup->target, campaign, setup->jobs, started);
  if (!ran) {
    fmt::print(stderr, "sockspec fuzz: cannot start the target: {}\n", ran.error().message);
    return kExitError;
  }
  const blackbox::CampaignResult& result = *ran;
  blackbox::print_summary(console, setup->info, result);
  int code = result.findings.empty() ? kExitOk : kExitFailed;
  if (result.error) {
    fmt::print(stderr, "sockspec fuzz: {}\n", *result.error);
    code = kExitError;
  }
  for (const auto& [flag, path] : reports) {
    if (path->empty()) continue;
    const nlohmann::json doc = path == &options.json ? blackbox::campaign_json(setup->info, result)
                                                     : blackbox::sarif_json(setup->info, result);
    if (net::Status s = write_document(*path, doc); !s) {
      fmt::print(stderr, "sockspec fuzz: {}\n", s.error().message);
      code = kExitError;
    }
  }
  return result.interrupted ? kExitInterrupted : code;
}

}  // namespace sockspec::cli
