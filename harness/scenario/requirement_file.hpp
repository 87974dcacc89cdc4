// A pack's own requirements: the requirements.yaml file beside its scenarios, which declares the
// IDs its scenarios may name beside the built-in ones.
//
//   requirements:
//     - id: MYPROTO-1
//       level: MUST                  # MUST (a failure fails) or SHOULD (a failure is non-strict)
//       side: server                 # server (default) or client
//       capabilities: [tcp]          # what a target must declare for the requirement to apply
//       text: Every request gets exactly one reply, in order.
#pragma once

#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::scenario {

// The file name a pack's requirement table has, in any folder of the pack.
inline constexpr std::string_view kRequirementFile = "requirements.yaml";

// Reads the requirement table `text` (named `name` in messages) and declares each requirement
// (declare_requirement). Errors are "file:line:col: message"; on an error nothing of the file is
// declared.
[[nodiscard]] net::Status declare_requirements_text(std::string_view text, const std::string& name);
// The same for a file on disk (bounded in size as scenario files are).
[[nodiscard]] net::Status declare_requirements_file(const std::string& path);

}  // namespace sockspec::scenario
