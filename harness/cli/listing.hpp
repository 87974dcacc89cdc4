// What `sockspec list --json` and `sockspec profiles` print: scenarios and profiles as JSON, and
// the profiles' table. Pure formatting: the commands load, these write.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/target/profile.hpp"

namespace sockspec::cli {

// A JSON array, one object per scenario in the given order: id, file, summary, requirements,
// tags, transports, families, role and needs (lists as arrays, possibly empty). Ends in '\n'.
[[nodiscard]] std::string scenarios_json(std::span<const scenario::Scenario* const> scenarios);

// The transports a profile declares among its capabilities: "tcp", "udp" or "tcp,udp".
[[nodiscard]] std::string transports_of(const target::Profile& profile);

// One line per profile: name, role, transports, the other capabilities and the file. Each line
// ends in '\n'.
[[nodiscard]] std::string profiles_table(std::span<const target::Profile> profiles);
// A JSON array, one object per profile: name, role, transports (an array), capabilities (all of
// them, transports too) and file. Ends in '\n'.
[[nodiscard]] std::string profiles_json(std::span<const target::Profile> profiles);

}  // namespace sockspec::cli
