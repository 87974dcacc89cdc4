// threads_sleeping and wait_settled: /proc's thread states and the map's fingerprint.
#include "harness/blackbox/target_idle.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string_view>
#include <thread>

namespace sockspec::blackbox {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kYieldingLooks = 32;

struct DirCloser {
  void operator()(DIR* d) const { (void)closedir(d); }
};

// The state letter of /proc/<pid>/task/<tid>/stat ("tid (comm) S ..."; comm may hold ')'), or
// '\0' when it cannot be read.
char thread_state(int task_fd, const char* tid) {
  const int fd = openat(task_fd, (std::string(tid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return '\0';
  std::array<char, 512> buf{};
  const ssize_t n = read(fd, buf.data(), buf.size());
  (void)close(fd);
  if (n <= 0) return '\0';
  const std::string_view text(buf.data(), static_cast<std::size_t>(n));
  const std::size_t paren = text.rfind(')');
  if (paren == std::string_view::npos || paren + 2 >= text.size()) return '\0';
  return text[paren + 2];
}

}  // namespace

bool threads_sleeping(pid_t pid) {
  const std::string task = "/proc/" + std::to_string(pid) + "/task";
  std::unique_ptr<DIR, DirCloser> dir(opendir(task.c_str()));
  if (!dir) return false;
  const int task_fd = dirfd(dir.get());
  bool any = false;
  while (const dirent* entry = readdir(dir.get())) {
    if (entry->d_name[0] == '.') continue;
    if (thread_state(task_fd, entry->d_name) != 'S') return false;
    any = true;
  }
  return any;
}

bool wait_settled(pid_t pid, const CoverageMap& map, std::chrono::microseconds limit,
                  std::chrono::microseconds pause) {
  const auto deadline = Clock::now() + limit;
  std::uint64_t last = 0;
  bool have_last = false;
  int looks = 0;
  for (;;) {
    if (threads_sleeping(pid)) {
      const std::uint64_t now = map.fingerprint();
      if (have_last && now == last) return true;
      last = now;
      have_last = true;
    } else {
      have_last = false;
    }
    if (Clock::now() >= deadline) return false;
    // The first looks only yield: the target, woken by our send, gets the CPU at once; a sleep,
    // however short, costs a timer's slack and a scheduler round trip.
    if (++looks <= kYieldingLooks) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(pause);
    }
  }
}

}  // namespace sockspec::blackbox
