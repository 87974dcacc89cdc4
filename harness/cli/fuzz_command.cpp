// `sockspec fuzz`: start (or adopt) the target, run the campaign, stop the target, report.
// Ctrl-C / SIGTERM end the campaign cleanly: target stopped, summary and findings written, 130.
#include <fmt/format.h>
#include <signal.h>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/campaign_report.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/cli/commands.hpp"
#include "harness/cli/fuzz_setup.hpp"
#include "harness/report/file_output.hpp"
#include "targets/net/signal_pipe.hpp"

namespace sockspec::cli {

int fuzz_command(const FuzzOptions& options) {
  net::Result<FuzzSetup> setup = fuzz_setup(options);
  if (!setup) {
    fmt::print(stderr, "sockspec fuzz: {}\n", setup.error().message);
    return kExitUsage;
  }
  if (!options.json.empty()) {  // before the campaign, not after it
    if (net::Status s = report::check_writable(options.json); !s) {
      fmt::print(stderr, "sockspec fuzz: --json: {}\n", s.error().message);
      return kExitUsage;
    }
  }
  net::ignore_sigpipe();
  net::Result<net::SignalPipe> interrupt = net::SignalPipe::install({SIGINT, SIGTERM});
  if (!interrupt) {
    fmt::print(stderr, "sockspec fuzz: {}\n", interrupt.error().message);
    return kExitError;
  }
  blackbox::CampaignOptions& campaign = setup->campaign;
  campaign.exchange.stop_fd = interrupt->fd();

  // Started from this (the main) thread, which outlives it: PR_SET_PDEATHSIG (instance.hpp).
  net::Result<blackbox::LiveTarget> target = blackbox::LiveTarget::start(setup->target);
  if (!target) {
    fmt::print(stderr, "sockspec fuzz: cannot start the target: {}\n", target.error().message);
    return kExitError;
  }
  // On stdout, first: whoever runs the campaign learns that it runs, and where.
  fmt::print("fuzz: {} at {} ({} {}), seed {}, {} seed inputs, for {} ms\n", setup->info.target,
             target->endpoint().to_string(), campaign.exchange.service,
             blackbox::mode_name(campaign.exchange.mode), campaign.seed, campaign.seeds.size(),
             campaign.duration.count());
  std::fflush(stdout);

  const blackbox::CampaignResult result = blackbox::run_campaign(*target, campaign);
  target->stop();
  blackbox::print_summary(stdout, setup->info, result);
  int code = result.findings.empty() ? kExitOk : kExitFailed;
  if (result.error) {
    fmt::print(stderr, "sockspec fuzz: {}\n", *result.error);
    code = kExitError;
  }
  if (!options.json.empty()) {
    if (net::Status s = blackbox::write_json(options.json, setup->info, result); !s) {
      fmt::print(stderr, "sockspec fuzz: {}\n", s.error().message);
      code = kExitError;
    }
  }
  return result.interrupted ? kExitInterrupted : code;
}

}  // namespace sockspec::cli
