// Readiness: waiting, within a deadline, until a started server serves, by the profile's method
// (READY lines, a TCP or UDP probe, or /proc), while watching for its death.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/target/instance.hpp"
#include "harness/target/process.hpp"
#include "harness/target/profile.hpp"

namespace sockspec::target {

struct ReadinessCheck {
  Readiness method = Readiness::ready_line;
  scenario::Family family = scenario::Family::ipv4;
  std::vector<scenario::Transport> transports;  // each must be seen; empty: any one
  std::uint16_t port = 0;                       // the probes' port
  std::string probe;                            // udp-probe's datagram
  Duration timeout{0};                          // for the message only
  int stop_fd = -1;  // readable: the wait ends at once with the error "interrupted"
};

// Waits until `process` serves, at most until `deadline`: a socket for each requested transport
// (the probes answer over theirs and look in /proc for the others). Returns the sockets learnt:
// ready-line reports what the program printed; proc what /proc shows of the check's family on the
// check's port (any port when it is 0); the probes {host}:{port} for each requested transport.
// Errors (without command or stderr, which the caller adds): "exited with code 1 before it was
// ready", "killed by SIGSEGV before it was ready", "not ready within 5s (ready-line: no READY line
// on stdout)", "malformed READY line 'READY tcp x': ...".
//
// ready-line: the first kEarlyLines stdout lines are scanned; lines not starting with "READY"
// are ignored; a line starting with "READY" must parse, and name the check's port when it is not
// 0 ("it reported READY tcp 127.0.0.1:41234 but was asked for port 5000"). Done once each requested
// transport has a line and no partial line is pending; with no transports requested, once a READY
// line came and stdout was quiet for 50 ms.
[[nodiscard]] net::Result<std::vector<BoundSocket>> wait_ready(
    Process& process, const ReadinessCheck& check, std::chrono::steady_clock::time_point deadline);

// "READY tcp 127.0.0.1:41234" -> {tcp, 127.0.0.1:41234}; exactly one space between the words,
// nothing after the endpoint. The error quotes the line.
[[nodiscard]] net::Result<BoundSocket> parse_ready_line(std::string_view line);

// The loopback host of a family: "127.0.0.1" or "::1".
[[nodiscard]] std::string_view loopback_host(scenario::Family family);

}  // namespace sockspec::target
