// Test helpers: live targets (the reference epoll server, the bug-planted fuzz_victim) started
// from $SOCKSPEC_BIN_DIR, a temporary folder, and programs run to their end (sockspec itself).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/blackbox/exchange.hpp"
#include "harness/blackbox/finding.hpp"
#include "harness/blackbox/live_target.hpp"
#include "harness/target/profile.hpp"
#include "targets/testing/child_process.hpp"

namespace sockspec::blackbox::test {

inline constexpr const char* kReference =
    "{bindir}/sockspec-server --model epoll --service {service} --transport {transports} "
    "--bind {host} --port {port}";
inline constexpr const char* kVictim = "{bindir}/fuzz_victim {host} {transports}";

inline std::string bin_dir() {
  const std::string server = testing::program_path("sockspec-server");
  return std::filesystem::path(server).parent_path().string();
}

// Starts `command` (a --cmd line) for `service` over the transport `mode` needs.
inline net::Result<LiveTarget> start_live(const char* command, const std::string& service,
                                          Mode mode) {
  net::Result<target::Profile> profile =
      target::profile_from_command(command, target::Readiness::ready_line);
  if (!profile) return profile.error();
  LiveTargetSpec spec;
  spec.transport = mode == Mode::datagram ? scenario::Transport::udp : scenario::Transport::tcp;
  spec.vars.bindir = bin_dir();
  spec.vars.service = service;
  spec.vars.transports = {spec.transport};
  spec.profile = std::move(profile).value();
  return LiveTarget::start(std::move(spec));
}

// A temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sockspec-fuzz-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The exchange options the live tests use: `mode`, `service`, a reply timeout of 500 ms.
inline ExchangeOptions exchange_options(Mode mode, const std::string& service) {
  ExchangeOptions o;
  o.mode = mode;
  o.service = service;
  o.reply_timeout = std::chrono::milliseconds(500);
  return o;
}

// Runs `args` to its end (at most `timeout`); a program that cannot run fails the test.
inline testing::RunResult run(std::vector<std::string> args,
                              std::chrono::milliseconds timeout = std::chrono::seconds(90)) {
  auto r = testing::run(std::move(args), {}, timeout);
  if (r.ok()) return std::move(r).value();
  ADD_FAILURE() << r.error().message;
  return {};
}

// Runs the sockspec binary with `args`.
inline testing::RunResult sockspec(std::vector<std::string> args) {
  args.insert(args.begin(), testing::program_path("sockspec"));
  return run(std::move(args));
}

// A sockspec command line and a part of the one-line error it must give.
struct UsageError {
  std::vector<std::string> args;
  std::string message;
};

// Runs each case's sockspec command: it must exit 2 with `message` on stderr.
inline void expect_usage_errors(const std::vector<UsageError>& cases) {
  for (const UsageError& c : cases) {
    SCOPED_TRACE(c.message);
    const auto r = sockspec(c.args);
    EXPECT_TRUE(r.status.exited(2)) << r.out << r.err;
    EXPECT_THAT(r.err, ::testing::HasSubstr(c.message));
  }
}

// The files of `dir` (not below it) whose extension is `extension` ("": every file).
inline std::vector<std::string> files_in(const std::string& dir,
                                         const std::string& extension = "") {
  std::vector<std::string> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (extension.empty() || it->path().extension() == extension)
      out.push_back(it->path().string());
  }
  return out;
}

// The JSON document in `path` (discarded, is_discarded(), when it is not one).
inline nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, false);
}

}  // namespace sockspec::blackbox::test
