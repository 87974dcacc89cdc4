// Test helpers: live targets (the reference epoll server, the bug-planted fuzz_victim) started
// from $SOCKSPEC_BIN_DIR, and a temporary folder.
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>

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

}  // namespace sockspec::blackbox::test
