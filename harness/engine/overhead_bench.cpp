// Harness overhead, measured: a target's spawn -> ready -> teardown, and the wall time of a run of
// 50 small scenarios (each with a fresh reference server) at -j1 and -j2.
//   cmake --preset release && cmake --build --preset release --target overhead_bench
//   build/release/bin/overhead_bench
#include <benchmark/benchmark.h>

#include <filesystem>

#include "harness/engine/runner.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/target/instance.hpp"

namespace {

using namespace sockspec;

std::string bindir() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
}

const target::Profile& reference_epoll() {
  static const target::Profile profile = [] {
    auto p = target::load_profile_file(SOCKSPEC_PROFILE_DIR "/reference-epoll.yaml");
    if (!p) throw std::runtime_error(p.error().message);
    return *p;
  }();
  return profile;
}

target::LaunchVars echo_vars() {
  target::LaunchVars v;
  v.bindir = bindir();
  v.service = "echo";
  v.transports = {scenario::Transport::tcp};
  return v;
}

void BM_TargetSpawnReadyKill(benchmark::State& state) {
  for (auto _ : state) {
    auto instance = target::Instance::start(reference_epoll(), echo_vars());
    if (!instance) state.SkipWithError(instance.error().message.c_str());
  }  // the destructor kills the group and reaps
}
BENCHMARK(BM_TargetSpawnReadyKill)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TargetSpawnReadyStop(benchmark::State& state) {
  for (auto _ : state) {
    auto instance = target::Instance::start(reference_epoll(), echo_vars());
    if (!instance) {
      state.SkipWithError(instance.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(instance->stop());  // SIGTERM and wait for exit 0
  }
}
BENCHMARK(BM_TargetSpawnReadyStop)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr const char* kEcho = R"(id: bench/echo
summary: one echo exchange
requirements: [SVC-1]
needs: [tcp, echo]
families: [ipv4]
steps:
  - connect: {}
  - send: {text: "hello\n"}
  - expect: {text: "hello\n"}
  - shutdown: write
  - expect-eof: {}
)";

void BM_Run50Scenarios(benchmark::State& state) {
  auto s = scenario::load_scenario_text(kEcho, "bench.yaml");
  if (!s) {
    state.SkipWithError(s.error().message.c_str());
    return;
  }
  const std::vector<const scenario::Scenario*> fifty(50, &*s);
  const auto cases = engine::plan_cases(fifty, {{&reference_epoll(), std::nullopt}}, bindir());
  engine::RunOptions options;
  options.jobs = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    const engine::RunResult run = engine::run_cases(cases, options, {});
    if (run.counts.pass != 50) state.SkipWithError("not every case passed");
  }
  state.counters["cases"] = 50;
}
BENCHMARK(BM_Run50Scenarios)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
