// CLI11, included only where flags are declared or parsed.
#pragma once

// GCC 12 reports a false -Wnull-dereference inside CLI11's inline CLI::detail::split (a
// std::vector<std::string> reallocation, nothing of ours); silenced for this header only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop
