// A large hand-built run for the HTML report's browser test and page-load benchmark.
#pragma once

#include <cstddef>

#include "harness/engine/result.hpp"

namespace sockspec::report::testing {

// testing::sample_run()'s 7 cases (every verdict but flaky) followed by generated ones up to
// `cases` in all (at least 7): scenarios "gen/scenario-NNN" over 5 targets x 2 families, mostly
// passing, with every verdict (flaky included) among the first 50 generated; each has a short
// transcript and, when it failed, a failure whose observed bytes are a window like the engine's.
[[nodiscard]] engine::RunResult generated_run(std::size_t cases);

}  // namespace sockspec::report::testing
