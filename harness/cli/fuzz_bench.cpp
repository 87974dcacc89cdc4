// Black-box fuzzing speed against its loopback floor: for each mode, `sockspec fuzz`'s own loop
// (the campaign `sockspec fuzz --target reference-epoll --service echo --seed 1` runs, in
// process) and a minimal echo client (fuzz_floor.hpp), N seconds each, taking turns of 100 ms
// against the same server; in each turn the floor sends inputs of the sizes the fuzzer sent in
// its last turn, in order.
//   cmake --preset release && cmake --build --preset release --target fuzz_bench
//   build/release/bin/fuzz_bench [--time S] [--mode M] [--tsv]
// The ratios depend on where the scheduler puts the client and the server (on a machine shared
// with other work more so): `taskset -c 1 fuzz_bench` (one CPU for both) gives steadier ones.
// Prints `mode  fuzz exec/s  floor exec/s  ratio  mean bytes (fuzz/floor)` per mode; --tsv prints
// `fuzz-<mode><TAB>fuzz exec/s<TAB>floor exec/s<TAB>ratio` lines instead. Exit 1 on an error.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/blackbox/campaign.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/cli/fuzz_floor.hpp"
#include "harness/cli/fuzz_setup.hpp"

namespace {

using namespace sockspec;
using blackbox::Mode;

struct BenchOptions {
  double seconds = 3;
  std::vector<Mode> modes{Mode::persistent, Mode::per_connection, Mode::datagram};
  bool tsv = false;
};

using Clock = std::chrono::steady_clock;
// The fuzzer and the floor take turns this long.
constexpr std::chrono::milliseconds kTurn{100};

struct Measured {
  double fuzz = 0;  // exec/s
  double floor = 0;
  double fuzz_bytes = 0;  // mean input size
  double floor_bytes = 0;
};

double mean(std::uint64_t total, std::uint64_t count) {
  return count > 0 ? static_cast<double>(total) / static_cast<double>(count) : 0;
}

[[noreturn]] void usage(std::string_view why) {
  fmt::print(stderr,
             "fuzz_bench: {}\nusage: fuzz_bench [--time S] [--mode persistent|per-connection|"
             "datagram] [--tsv]\n",
             why);
  std::exit(2);
}

BenchOptions parse(int argc, char** argv) {
  BenchOptions o;
  bool mode_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--tsv") {
      o.tsv = true;
    } else if (arg == "--time" && has_value) {
      char* end = nullptr;
      o.seconds = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(o.seconds > 0 && o.seconds <= 600)) usage("--time: 0 < S <= 600");
    } else if (arg == "--mode" && has_value) {
      const std::string_view m = argv[++i];
      if (!mode_given) o.modes.clear();
      mode_given = true;
      if (m == "persistent") {
        o.modes.push_back(Mode::persistent);
      } else if (m == "per-connection") {
        o.modes.push_back(Mode::per_connection);
      } else if (m == "datagram") {
        o.modes.push_back(Mode::datagram);
      } else {
        usage(fmt::format("--mode {}: unknown", m));
      }
    } else {
      usage(fmt::format("unknown argument {}", arg));
    }
  }
  return o;
}

// The fuzz loop and the floor in turns of kTurn (the floor runs inside the campaign's input
// hook, the fuzzer paused between two inputs), `seconds` each in all, against one fresh
// reference server: both meet the same load, should other work share the machine.
net::Result<Measured> measure(Mode mode, double seconds) {
  cli::FuzzOptions flags;
  flags.target = "reference-epoll";
  flags.service = "echo";
  flags.mode = std::string(blackbox::mode_name(mode));
  flags.time = fmt::format("{}ms", static_cast<long>(2 * seconds * 1000));
  flags.seed = "1";
  flags.out = (std::filesystem::temp_directory_path() / "fuzz_bench-findings").string();
  net::Result<cli::FuzzSetup> setup = cli::fuzz_setup(flags);
  if (!setup) return setup.error();
  net::Result<blackbox::LiveTarget> target = blackbox::LiveTarget::start(setup->target);
  if (!target) return target.error();
  net::Result<cli::FloorClient> floor = cli::FloorClient::open(mode, target->endpoint());
  if (!floor) return net::Error{"floor: " + floor.error().message};

  // The sizes of the fuzzer's inputs; in each turn the floor sends those of the fuzzer's last.
  std::vector<std::uint32_t> sizes;
  std::size_t turn_start = 0;
  std::uint64_t fuzz_bytes = 0;
  net::Status floor_status;
  auto next_turn = Clock::now() + kTurn;
  blackbox::CampaignOptions& campaign = setup->campaign;
  campaign.log = nullptr;
  campaign.findings = nullptr;
  campaign.on_input = [&](std::string_view input) {
    sizes.push_back(static_cast<std::uint32_t>(input.size()));
    fuzz_bytes += input.size();
    if (!floor_status.ok() || Clock::now() < next_turn) return;
    floor_status = floor->run(std::span(sizes).subspan(turn_start), kTurn);
    turn_start = sizes.size();
    next_turn = Clock::now() + kTurn;
  };
  const blackbox::CampaignResult fuzz = blackbox::run_campaign(*target, campaign);
  if (fuzz.error) return net::Error{"fuzz: " + *fuzz.error};
  if (!fuzz.findings.empty()) {
    return net::Error{"fuzz: a finding on the reference server: " +
                      fuzz.findings[0].finding.detail};
  }
  if (!floor_status.ok()) return net::Error{"floor: " + floor_status.error().message};
  const double fuzz_seconds = fuzz.seconds - floor->seconds();
  Measured m;
  m.fuzz = fuzz_seconds > 0 ? static_cast<double>(fuzz.execs) / fuzz_seconds : 0;
  m.floor = floor->seconds() > 0 ? static_cast<double>(floor->execs()) / floor->seconds() : 0;
  m.fuzz_bytes = mean(fuzz_bytes, fuzz.execs);
  m.floor_bytes = mean(floor->bytes(), floor->execs());
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const BenchOptions o = parse(argc, argv);
  // A watchdog: the floor's stream calls have no timeouts of their own.
  ::alarm(static_cast<unsigned>(o.seconds * 2 * static_cast<double>(o.modes.size())) + 60);
  if (!o.tsv) {
    fmt::print("{:<16}{:>13}{:>14}{:>8}{:>13}\n", "mode", "fuzz exec/s", "floor exec/s", "ratio",
               "mean bytes");
  }
  int rc = 0;
  for (const Mode mode : o.modes) {
    const net::Result<Measured> m = measure(mode, o.seconds);
    if (!m) {
      fmt::print(stderr, "fuzz_bench: {}: {}\n", blackbox::mode_name(mode), m.error().message);
      rc = 1;
      continue;
    }
    const double ratio = m->floor > 0 ? m->fuzz / m->floor : 0;
    if (o.tsv) {
      fmt::print("fuzz-{}\t{:.0f}\t{:.0f}\t{:.3f}\n", blackbox::mode_name(mode), m->fuzz, m->floor,
                 ratio);
    } else {
      fmt::print("{:<16}{:>13.0f}{:>14.0f}{:>8.2f}{:>7.0f}/{:<5.0f}\n", blackbox::mode_name(mode),
                 m->fuzz, m->floor, ratio, m->fuzz_bytes, m->floor_bytes);
    }
    std::fflush(stdout);
  }
  return rc;
}
