// A finding's sanitizer report (ASan, UBSan, ...): its SUMMARY line for the console, and the
// whole report as a file beside the finding's scenario.
#pragma once

#include <string>
#include <string_view>

#include "targets/net/result.hpp"

namespace sockspec::blackbox {

// The last line of `report` starting with "SUMMARY: " (without its line end); "" when none.
[[nodiscard]] std::string sanitizer_summary(std::string_view report);

// "; " and sanitizer_summary(report), the end of a finding's console line; "" when it has none.
[[nodiscard]] std::string sanitizer_suffix(std::string_view report);

// The path of the report written beside the scenario `yaml_path`: its ".yaml" made ".log".
[[nodiscard]] std::string sanitizer_log_path(const std::string& yaml_path);

// Writes `report` to sanitizer_log_path(yaml_path). Error: "writing DIR/x.log: ...".
[[nodiscard]] net::Status write_sanitizer_log(const std::string& yaml_path,
                                              std::string_view report);

}  // namespace sockspec::blackbox
