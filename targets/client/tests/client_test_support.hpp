// What only the client's integration tests share: running sockspec-client, its exit codes and
// its stderr contract. Processes and peers come from targets/testing.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "targets/testing/child_process.hpp"
#include "targets/testing/peers.hpp"
#include "targets/testing/scripted_peers.hpp"

namespace sockspec::client::testing {

using namespace ::sockspec::testing;  // NOLINT: the shared test helpers, used throughout

// The exit codes of docs/architecture.md, "sockspec-client".
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitBadArguments = 2;
inline constexpr int kExitRefused = 3;
inline constexpr int kExitTimeout = 4;
inline constexpr int kExitPeerClosed = 5;

// CLI-4: a client given --timeout T exits at most this long after T has passed.
inline constexpr std::chrono::milliseconds kTimeoutMargin{500};

// Runs sockspec-client with `args` to its end, at most `limit`.
inline RunResult run_client(const std::vector<std::string>& args, StartOptions options = {},
                            std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  std::vector<std::string> argv = {program_path("sockspec-client")};
  argv.insert(argv.end(), args.begin(), args.end());
  return must(run(std::move(argv), std::move(options), limit));
}

// Lines of `text` (each without its LF).
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto lf = text.find('\n', at);
    const auto end = lf == std::string::npos ? text.size() : lf;
    out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// For a failed run: exactly one stderr line, "sockspec-client: <reason>", containing `reason`
// (CLI-3). Lines of "ignored datagram" notes are allowed before it.
inline void expect_one_reason_line(const RunResult& r, const std::string& reason) {
  std::vector<std::string> reasons;
  for (const auto& line : lines_of(r.err)) {
    if (line.find("ignored datagram from") == std::string::npos) reasons.push_back(line);
  }
  ASSERT_EQ(reasons.size(), 1u) << "stderr:\n" << r.err;
  EXPECT_THAT(reasons[0], ::testing::StartsWith("sockspec-client: "));
  EXPECT_THAT(reasons[0], ::testing::HasSubstr(reason));
}

// Printed by gtest when a run is not what a test expected.
inline std::string describe(const RunResult& r) {
  return "exit " + std::to_string(r.status.code) + " signal " + std::to_string(r.status.signal) +
         (r.timed_out ? " (killed: outlived the test's limit)" : "") + " after " +
         std::to_string(r.elapsed.count()) + "ms; stderr:\n" + r.err;
}

}  // namespace sockspec::client::testing
