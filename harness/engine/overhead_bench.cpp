// Harness overhead, measured: a target's spawn -> ready (-> teardown), beside a floor (the same
// server started with posix_spawn and read until its READY line, then SIGKILL and waitpid), and
// the wall time of a run of 50 small scenarios (each with a fresh reference server) at -j1 and -j2.
//   cmake --preset release && cmake --build --preset release --target overhead_bench
//   build/release/bin/overhead_bench
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

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

// Spawn to READY alone: the teardown is not timed.
void BM_TargetSpawnReady(benchmark::State& state) {
  for (auto _ : state) {
    const auto began = std::chrono::steady_clock::now();
    auto instance = target::Instance::start(reference_epoll(), echo_vars());
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    if (!instance) state.SkipWithError(instance.error().message.c_str());
  }
}
BENCHMARK(BM_TargetSpawnReady)->Unit(benchmark::kMillisecond)->UseManualTime();

// The floor: the least a launcher can do to start the same server and see it ready.
void BM_FloorSpawnReadyKill(benchmark::State& state) {
  const std::string server = bindir() + "/sockspec-server";
  char* const argv[] = {const_cast<char*>(server.c_str()),
                        const_cast<char*>("--model"),
                        const_cast<char*>("epoll"),
                        const_cast<char*>("--service"),
                        const_cast<char*>("echo"),
                        const_cast<char*>("--port"),
                        const_cast<char*>("0"),
                        nullptr};
  for (auto _ : state) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
      state.SkipWithError("pipe2");
      break;
    }
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, server.c_str(), &actions, nullptr, argv, environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    std::string got;
    char buffer[256];
    while (spawned == 0 && got.find('\n') == std::string::npos) {
      const ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (spawned == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (!got.starts_with("READY")) {
      state.SkipWithError("no READY line");
      break;
    }
  }
}
BENCHMARK(BM_FloorSpawnReadyKill)->Unit(benchmark::kMillisecond)->UseRealTime();

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
