// A server described on the command line alone (`--cmd` or `--connect` with --service,
// --capability, --exchange...): the capabilities and exchanges a profile would declare. What the
// user did not state is not declared, so no scenario runs for a service or capability they did
// not name.
#pragma once

#include <string>
#include <vector>

#include "harness/target/profile.hpp"
#include "targets/net/result.hpp"

namespace sockspec::cli {

struct OneLineTarget {
  std::vector<std::string> services;         // --service: echo, discard, daytime, chargen, line
  std::string transport = "tcp";             // --transport: tcp, udp or tcp,udp
  std::vector<std::string> capabilities;     // --capability (repeatable)
  std::vector<std::string> no_capabilities;  // --no-capability (repeatable)
  std::string exchange, exchange_hex;        // --exchange TEXT (C escapes) / --exchange-hex
  std::string expect, expect_hex;            // --expect REGEX / --expect-hex (exact bytes)
  std::string banner;                        // --banner REGEX: the server speaks first (TCP)
  std::string port;  // --port: ephemeral (0, learnt by readiness), pick (a free port) or N
};

// The flags above as given, shell-quoted ("--service echo --transport tcp"), so that a case's
// reproduce command gives the same target again.
[[nodiscard]] std::string one_line_args(const OneLineTarget& o);

// Declares on `profile` (made by profile_from_command, or blank for --connect) what the flags
// state: the transports, IPv4 (and IPv6 for a --connect address of that family), `lifecycle` for a
// server the harness starts, the services, the capabilities asked, minus those refused, and an
// exchange named `cli` over each transport (whose request is also the udp-probe's datagram), and
// the --port policy. Errors name the flag.
[[nodiscard]] net::Status declare_one_line_target(target::Profile& profile, const OneLineTarget& o,
                                                  bool started_by_harness);

}  // namespace sockspec::cli
