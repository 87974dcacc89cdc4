// The requirement IDs of CONFORMANCE.md and the capabilities a profile may declare, as a table.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace sockspec::scenario {

enum class Level { must, should };

// Which program a requirement is about: a server the harness talks to, or a client it runs.
enum class Side { server, client };

struct RequirementInfo {
  std::string_view id;                         // "STR-1"
  Level level;                                 // MUST: a failure is `fail`; SHOULD: `non-strict`
  Side side;                                   // from the "Applies to" column
  std::vector<std::string_view> capabilities;  // the rest of "Applies to": tcp, echo, concurrent...
  std::string_view text{};                     // what it requires, one sentence for failures
};

// Every requirement of CONFORMANCE.md, in the document's order. Keep in step with that page.
[[nodiscard]] std::span<const RequirementInfo> all_requirements();
// The requirement with this exact ID, or nullptr.
[[nodiscard]] const RequirementInfo* find_requirement(std::string_view id);

// The capabilities of CONFORMANCE.md ("Capabilities a profile declares").
[[nodiscard]] std::span<const std::string_view> all_capabilities();
[[nodiscard]] bool is_capability(std::string_view name);
// The capabilities that are services (CONFORMANCE.md's SVC rows).
inline constexpr std::string_view kServiceCapabilities[] = {"echo", "discard", "daytime", "chargen",
                                                            "line"};

// What a scenario written on exchanges may need of a profile's `exchanges` block, beside
// capabilities (harness/target/exchanges.hpp says which part each one asks for). A profile never
// declares these: they follow from its exchanges.
inline constexpr std::string_view kExchangeNeeds[] = {"exchange",
                                                      "exchange-large",
                                                      "exchange-closing",
                                                      "exchange-partial",
                                                      "exchange-after-half-close",
                                                      "exchange-pipelining",
                                                      "exchange-keep-alive"};
[[nodiscard]] bool is_exchange_need(std::string_view name);

// What a scenario may need of how the harness starts the target, beside capabilities. A profile
// never declares these either: they follow from its `port`.
//   port-zero: the server is started on port 0 ({port} = 0, the profile's `port: ephemeral`), so
//              that it asks the kernel for a port itself (EPH-1, EPH-2, EPH-6). Under `port: pick`
//              or `port: N`, or a server already running (--connect), such a case is skipped.
inline constexpr std::string_view kPortZero = "port-zero";
inline constexpr std::string_view kLaunchNeeds[] = {kPortZero};
[[nodiscard]] bool is_launch_need(std::string_view name);

}  // namespace sockspec::scenario
