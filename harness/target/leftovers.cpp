// Leftovers (see leftovers.hpp): /proc/<pid>/{comm,stat,fd} and sock_diag.
#include "harness/target/leftovers.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/target/sock_diag.hpp"

namespace sockspec::target {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFds = 4096;  // descriptors looked at per process

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The inodes of the sockets `pid` holds ("socket:[12345]" links in /proc/<pid>/fd).
std::set<std::uint64_t> socket_inodes(pid_t pid) {
  std::set<std::uint64_t> out;
  std::error_code ec;
  std::size_t seen = 0;
  for (const auto& entry : fs::directory_iterator(fmt::format("/proc/{}/fd", pid), ec)) {
    if (++seen > kMaxFds) break;
    const std::string link = fs::read_symlink(entry.path(), ec).string();
    if (ec || link.rfind("socket:[", 0) != 0) continue;
    std::uint64_t inode = 0;
    const char* begin = link.data() + 8;
    if (std::from_chars(begin, link.data() + link.size(), inode).ec == std::errc()) {
      out.insert(inode);
    }
  }
  return out;
}

}  // namespace

pid_t process_group_of(pid_t pid) {
  const std::string stat = first_line(fmt::format("/proc/{}/stat", pid));
  const std::size_t paren = stat.rfind(')');  // the name may hold spaces and parentheses
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 1));
  std::string state;
  pid_t parent = 0;
  pid_t group = -1;
  if (!(fields >> state >> parent >> group)) return -1;
  return group;
}

Leftover look_at(pid_t pid) {
  Leftover out;
  out.pid = pid;
  out.name = first_line(fmt::format("/proc/{}/comm", pid));
  const std::set<std::uint64_t> inodes = socket_inodes(pid);
  if (!inodes.empty()) {
    net::Result<std::vector<BoundSocket>> sockets = sockets_with_inodes(inodes);
    if (sockets) out.sockets = std::move(sockets).value();
  }
  return out;
}

std::string describe(const Leftover& leftover) {
  std::string out = fmt::format("pid {} ({}) was still running", leftover.pid,
                                leftover.name.empty() ? "?" : leftover.name);
  std::string held;
  for (const BoundSocket& b : leftover.sockets) {
    const bool tcp = b.transport == scenario::Transport::tcp;
    held += fmt::format("{}{} {}", held.empty() ? "" : ", ", b.endpoint.to_string(),
                        tcp ? "listening (tcp)" : "bound (udp)");
  }
  if (!held.empty()) out += " and held " + held;
  return out;
}

}  // namespace sockspec::target
