// The timings record (see timings.hpp).
#include "harness/engine/timings.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sockspec::engine {
namespace {

// A damaged or hostile file is read no further than this.
constexpr std::size_t kMaxLines = 1'000'000;
constexpr std::uintmax_t kMaxBytes = 64 << 20;

}  // namespace

Timings Timings::load(const std::string& path) {
  Timings t;
  if (path.empty()) return t;
  // Only a regular file of bounded size: a FIFO would block, /dev/zero has no lines.
  std::error_code fs_error;
  if (!std::filesystem::is_regular_file(path, fs_error) ||
      std::filesystem::file_size(path, fs_error) > kMaxBytes || fs_error) {
    return t;
  }
  std::ifstream in(path);
  std::string line;
  for (std::size_t n = 0; n < kMaxLines && std::getline(in, line); ++n) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos || tab + 1 == line.size()) continue;
    std::int64_t ms = 0;
    const auto [end, ec] = std::from_chars(line.data(), line.data() + tab, ms);
    if (ec != std::errc{} || end != line.data() + tab || ms < 0) continue;
    t.by_case_[line.substr(tab + 1)] = std::chrono::milliseconds(ms);
  }
  return t;
}

void Timings::save(const std::string& path) const {
  if (path.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    for (const auto& [key, ms] : by_case_) out << ms.count() << '\t' << key << '\n';
    if (!out.flush()) {
      fs::remove(temporary, ec);
      return;
    }
  }
  fs::rename(temporary, target, ec);
  if (ec) fs::remove(temporary, ec);
}

std::string Timings::key(const CaseSpec& spec) {
  return spec.scenario->id + '\t' + target_label(spec) + '\t' +
         (spec.family == scenario::Family::ipv6 ? "ipv6" : "ipv4");
}

const std::chrono::milliseconds* Timings::find(const std::string& key) const {
  const auto it = by_case_.find(key);
  return it == by_case_.end() ? nullptr : &it->second;
}

void Timings::record(const std::string& key, std::chrono::milliseconds elapsed) {
  const auto [it, added] = by_case_.emplace(key, elapsed);
  if (!added) it->second = std::min(it->second, elapsed);
}

std::string default_timings_path() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/sockspec/timings.tsv";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return std::string(home) + "/.cache/sockspec/timings.tsv";
  }
  return {};
}

}  // namespace sockspec::engine
