// The requirements scenarios check (the built-in ones, and those a user's pack declares in its
// requirements.yaml) and the capabilities a profile may declare, as tables.
#pragma once

#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"
#include "targets/net/result.hpp"

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

// Every requirement: the built-in ones in the specification's order, then those declared with
// declare_requirement() in the order they were declared. Elements never move.
[[nodiscard]] const std::deque<RequirementInfo>& all_requirements();
// The built-in requirements alone (docs/requirements.md lists them).
[[nodiscard]] std::span<const RequirementInfo> builtin_requirements();
// The requirement with this exact ID, or nullptr.
[[nodiscard]] const RequirementInfo* find_requirement(std::string_view id);

// A requirement a user's pack declares (requirement_file.hpp reads them), with its own storage.
struct DeclaredRequirement {
  std::string id;  // "MYPROTO-1": an upper-case word, '-', and letters or digits
  Level level = Level::must;
  Side side = Side::server;
  std::vector<std::string> capabilities;  // each a known capability
  std::string text;
  SourceLocation where;  // where it was declared, for messages
};
// Adds `r` to the table. Declaring an ID again with the same content does nothing (a pack loaded
// twice); a built-in ID, or an ID declared before with other content, is an error naming both
// places. Not synchronised with lookups: declare before any run starts.
[[nodiscard]] net::Status declare_requirement(DeclaredRequirement r);

// The capabilities a profile may declare (docs/requirements.md, "Capabilities a profile declares").
[[nodiscard]] std::span<const std::string_view> all_capabilities();
[[nodiscard]] bool is_capability(std::string_view name);
// The capabilities that are services (the SVC requirements) are the services' names,
// proto::kServiceNames.

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
