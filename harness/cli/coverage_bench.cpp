// `sockspec fuzz --coverage afl` against its floor, blind fuzzing of the same server in the same
// run: the reference server built with AFL++'s wrapper and ASan (ci/afl-build), per mode, N
// seconds each: exec/s with coverage, exec/s blind, their ratio (the goal: >= 5k exec/s
// with coverage). Then the edges the `line` service reached after M seconds with and without
// coverage: blind, the target gets the map too, cleared once it is ready and never again, and
// the edges are its non-zero counters at the end (AFL++'s counters never wrap to zero).
//   ci/afl-build && cmake --build build/default --target coverage_bench
//   build/default/bin/coverage_bench --afl-bin build/afl/bin [--time S] [--edges-time S]
// Prints `mode  coverage exec/s  blind exec/s  ratio` per mode, then `edges after Ms: coverage N,
// blind N`. Exit 1 on an error.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/coverage_map.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/cli/fuzz_setup.hpp"

namespace {

using namespace sockspec;

struct Run {
  double execs_per_second = 0;
  std::size_t edges = 0;
};

// One campaign against a fresh instrumented reference server: coverage-guided, or blind with
// the map only watched.
net::Result<Run> campaign(const std::string& afl_bin, std::string_view mode,
                          std::string_view service, double seconds, bool coverage) {
  cli::FuzzOptions flags;
  flags.target = "reference-epoll";
  flags.service = std::string(service);
  flags.mode = std::string(mode);
  flags.time = fmt::format("{}ms", static_cast<long>(seconds * 1000));
  flags.seed = "1";
  flags.no_pack_seeds = true;
  flags.out = (std::filesystem::temp_directory_path() / "coverage_bench-findings").string();
  net::Result<cli::FuzzSetup> setup = cli::fuzz_setup(flags);
  if (!setup) return setup.error();
  setup->target.vars.bindir = afl_bin;
  net::Result<blackbox::CoverageMap> map = blackbox::CoverageMap::create();
  if (!map) return map.error();
  target::Profile& profile = *setup->target.profile;
  profile.env = blackbox::coverage_environment(*map, std::move(profile.env), nullptr);
  net::Result<blackbox::LiveTarget> target = blackbox::LiveTarget::start(setup->target);
  if (!target) return target.error();
  blackbox::CampaignOptions& c = setup->campaign;
  c.log = nullptr;
  c.findings = nullptr;
  if (coverage) c.coverage = &*map;
  map->clear();  // the server's start-up is no input's doing
  const blackbox::CampaignResult r = blackbox::run_campaign(*target, c);
  if (r.error) return net::Error{*r.error};
  target->stop();
  Run out{r.execs_per_second(), r.edges};
  if (!coverage) out.edges = map->merge().new_edges;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string afl_bin;
  double seconds = 10;
  double edges_seconds = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--afl-bin")
      afl_bin = argv[i + 1];
    else if (flag == "--time")
      seconds = std::atof(argv[i + 1]);
    else if (flag == "--edges-time")
      edges_seconds = std::atof(argv[i + 1]);
  }
  if (afl_bin.empty()) {
    fmt::print(stderr, "usage: coverage_bench --afl-bin DIR [--time S] [--edges-time S]\n");
    return 2;
  }
  fmt::print("{:<15} {:>16} {:>13} {:>6}\n", "mode", "coverage exec/s", "blind exec/s", "ratio");
  for (const std::string_view mode : {"persistent", "per-connection", "datagram"}) {
    const net::Result<Run> with = campaign(afl_bin, mode, "echo", seconds, true);
    const net::Result<Run> without = campaign(afl_bin, mode, "echo", seconds, false);
    if (!with || !without) {
      fmt::print(stderr, "coverage_bench: {}: {}\n", mode,
                 !with ? with.error().message : without.error().message);
      return 1;
    }
    fmt::print(
        "{:<15} {:>16.0f} {:>13.0f} {:>6.2f}\n", mode, with->execs_per_second,
        without->execs_per_second,
        without->execs_per_second > 0 ? with->execs_per_second / without->execs_per_second : 0.0);
  }
  const net::Result<Run> with = campaign(afl_bin, "persistent", "line", edges_seconds, true);
  const net::Result<Run> without = campaign(afl_bin, "persistent", "line", edges_seconds, false);
  if (!with || !without) {
    fmt::print(stderr, "coverage_bench: edges: {}\n",
               !with ? with.error().message : without.error().message);
    return 1;
  }
  fmt::print("edges after {:.0f} s (line service, persistent): coverage {}, blind {}\n",
             edges_seconds, with->edges, without->edges);
  return 0;
}
