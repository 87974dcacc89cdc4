// sanitizer_summary and the finding's .log file.
#include "harness/blackbox/sanitizer_log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <fstream>

namespace sockspec::blackbox {

std::string sanitizer_summary(std::string_view report) {
  constexpr std::string_view kSummary = "SUMMARY: ";
  constexpr auto npos = std::string_view::npos;
  for (std::size_t at = report.rfind(kSummary); at != npos;
       at = at == 0 ? npos : report.rfind(kSummary, at - 1)) {
    if (at != 0 && report[at - 1] != '\n') continue;  // not at a line's start
    const std::size_t end = report.find('\n', at);
    std::string line(report.substr(at, end == npos ? end : end - at));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  return {};
}

std::string sanitizer_suffix(std::string_view report) {
  std::string summary = sanitizer_summary(report);
  return summary.empty() ? summary : "; " + summary;
}

std::string sanitizer_log_path(const std::string& yaml_path) {
  constexpr std::string_view kYaml = ".yaml";
  const std::string_view stem =
      std::string_view(yaml_path).ends_with(kYaml)
          ? std::string_view(yaml_path).substr(0, yaml_path.size() - kYaml.size())
          : std::string_view(yaml_path);
  return std::string(stem) + ".log";
}

net::Status write_sanitizer_log(const std::string& yaml_path, std::string_view report) {
  const std::string path = sanitizer_log_path(yaml_path);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(report.data(), static_cast<std::streamsize>(report.size()));
  file.close();
  if (!file) return net::errno_error(errno, fmt::format("writing {}", path));
  return {};
}

}  // namespace sockspec::blackbox
