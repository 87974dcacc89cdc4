// How long headless Chromium takes to open the HTML report of 1,000 cases, beside its floor: an
// empty page opened the same way (Chromium's own start and exit), in the same run.
#include <benchmark/benchmark.h>

#include <fstream>

#include "harness/report/html.hpp"
#include "harness/report/html_sample_run.hpp"
#include "harness/report/tests/chromium.hpp"

namespace sockspec::report {
namespace {

// Opens `html` once to warm the profile and the disk cache, then once per iteration.
void open_page(benchmark::State& state, const std::string& html) {
  if (!testing::have_chromium()) {
    state.SkipWithError("chromium missing: ci/setup installs it");
    return;
  }
  testing::TempDir dir;
  const std::filesystem::path page = dir.path() / "page.html";
  std::ofstream(page) << html;
  if (testing::dump_dom(page, dir.path() / "profile").status != 0) {
    state.SkipWithError("chromium failed to open the page");
    return;
  }
  for (auto _ : state) {
    const testing::CommandOutput dom = testing::dump_dom(page, dir.path() / "profile");
    if (dom.status != 0) {
      state.SkipWithError("chromium failed to open the page");
      break;
    }
    benchmark::DoNotOptimize(dom.output.size());
  }
  state.counters["page_bytes"] = static_cast<double>(html.size());
}

void BM_OpenReport1000Cases(benchmark::State& state) {
  open_page(state, html_page(testing::generated_run(1000)));
}

void BM_FloorOpenEmptyPage(benchmark::State& state) {
  open_page(state,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>empty</title></head>"
            "<body></body></html>\n");
}

BENCHMARK(BM_OpenReport1000Cases)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FloorOpenEmptyPage)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace sockspec::report

BENCHMARK_MAIN();
