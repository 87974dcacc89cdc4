// /proc readers: process groups, socket inodes (looked up by sock_diag.hpp), per-process census.
#include "harness/target/observe.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "harness/target/sock_diag.hpp"

namespace sockspec::target {
namespace {

struct ProcStat {
  pid_t pid = 0;
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
  std::uint64_t cpu_ticks =
      0;  // utime + stime + cutime + cstime: its own and its reaped children's
  std::uint64_t rss_pages = 0;
};

// /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and ')', so the fields
// are read after the *last* ')'.
std::optional<ProcStat> read_stat(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;  // gone meanwhile
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 1));
  ProcStat s;
  s.pid = pid;
  if (!(rest >> s.state >> s.ppid >> s.pgrp)) return std::nullopt;
  // Fields 6..24 of proc(5): session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice num_threads itrealvalue starttime vsize rss.
  std::int64_t f[19] = {};
  for (std::int64_t& v : f) {
    if (!(rest >> v)) return std::nullopt;
  }
  const auto ticks = [](std::int64_t v) {
    return static_cast<std::uint64_t>(std::max<std::int64_t>(v, 0));
  };
  s.cpu_ticks = ticks(f[8]) + ticks(f[9]) + ticks(f[10]) + ticks(f[11]);
  s.rss_pages = ticks(f[18]);
  return s;
}

// Every process now in /proc (those that vanish while we look are left out).
net::Result<std::vector<ProcStat>> all_processes() {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir("/proc"), ::closedir);
  if (!dir) return net::errno_error(errno, "opendir /proc");
  std::vector<ProcStat> out;
  while (const dirent* e = ::readdir(dir.get())) {
    pid_t pid = 0;
    const char* end = e->d_name + std::strlen(e->d_name);
    if (std::from_chars(e->d_name, end, pid).ptr != end || pid <= 0) continue;
    if (auto s = read_stat(pid)) out.push_back(*s);
  }
  return out;
}

// The names in /proc/PID/fd, with their link targets ("socket:[1234]", "/dev/null").
net::Result<std::vector<std::string>> fd_links(pid_t pid) {
  const std::string path = fmt::format("/proc/{}/fd", pid);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) return net::errno_error(errno, fmt::format("opendir {}", path));
  std::vector<std::string> out;
  while (const dirent* e = ::readdir(dir.get())) {
    if (e->d_name[0] == '.') continue;
    char target[256];
    const std::string link = path + "/" + e->d_name;
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    out.emplace_back(n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string());
  }
  return out;
}

std::uint32_t count(std::size_t n) {
  return static_cast<std::uint32_t>(n);
}

// The socket inodes among a process's descriptors (none when it is gone).
std::set<std::uint64_t> socket_inodes(pid_t pid) {
  std::set<std::uint64_t> inodes;
  net::Result<std::vector<std::string>> links = fd_links(pid);
  if (!links) return inodes;
  for (const std::string& l : *links) {
    std::uint64_t inode = 0;
    if (l.rfind("socket:[", 0) != 0) continue;
    if (std::from_chars(l.data() + 8, l.data() + l.size(), inode).ec == std::errc())
      inodes.insert(inode);
  }
  return inodes;
}

// Whether `pid` holds one of `sockets` (same transport and port), or with none given, any
// listening or bound socket.
bool holds(pid_t pid, const std::vector<BoundSocket>& sockets) {
  net::Result<std::vector<BoundSocket>> held = sockets_with_inodes(socket_inodes(pid));
  if (!held) return false;
  return std::any_of(held->begin(), held->end(), [&](const BoundSocket& h) {
    return sockets.empty() ||
           std::any_of(sockets.begin(), sockets.end(), [&](const BoundSocket& b) {
             return b.transport == h.transport && b.endpoint.port() == h.endpoint.port();
           });
  });
}

// `root`'s descendants in /proc, nearest first (children, then grandchildren...). Bounded: each
// process is taken once, as a child of its one parent.
std::vector<ProcStat> descendants(const std::vector<ProcStat>& procs, pid_t root) {
  std::vector<ProcStat> out;
  std::vector<pid_t> parents{root};
  for (std::size_t next = 0; next < parents.size(); ++next) {
    for (const ProcStat& p : procs) {
      if (p.ppid != parents[next] || p.pid == root) continue;
      out.push_back(p);
      parents.push_back(p.pid);
    }
  }
  return out;
}

}  // namespace

net::Result<std::vector<BoundSocket>> bound_sockets(pid_t pgid) {
  net::Result<std::vector<ProcStat>> procs = all_processes();
  if (!procs) return procs.error();
  std::set<std::uint64_t> inodes;
  bool any = false;
  for (const ProcStat& p : *procs) {
    if (p.pgrp != pgid) continue;
    any = true;
    inodes.merge(socket_inodes(p.pid));  // none when it exited meanwhile
  }
  if (!any) return net::Error{fmt::format("no process in process group {}", pgid)};
  return sockets_with_inodes(inodes);
}

net::Result<Census> take_census(pid_t pid) {
  Census c;
  net::Result<std::vector<std::string>> fds = fd_links(pid);
  if (!fds) return fds.error();
  c.fds = count(fds->size());
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  bool threads_seen = false;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) != 0) continue;
    std::istringstream(line.substr(8)) >> c.threads;
    threads_seen = true;
  }
  if (!threads_seen) return net::Error{fmt::format("/proc/{}/status: no Threads: line", pid)};
  const std::optional<ProcStat> self = read_stat(pid);
  if (!self) return net::Error{fmt::format("/proc/{}/stat: cannot read it", pid)};
  std::uint64_t ticks = self->cpu_ticks;
  std::uint64_t pages = self->rss_pages;
  net::Result<std::vector<ProcStat>> procs = all_processes();
  if (!procs) return procs.error();
  for (const ProcStat& p : descendants(*procs, pid)) {
    ++c.children;
    if (p.state == 'Z') ++c.zombies;
    ticks += p.cpu_ticks;
    pages += p.rss_pages;
  }
  static const long tick_hz = ::sysconf(_SC_CLK_TCK);
  static const long page_size = ::sysconf(_SC_PAGESIZE);
  c.cpu = std::chrono::milliseconds(ticks * 1000 / static_cast<std::uint64_t>(tick_hz));
  c.rss = pages * static_cast<std::uint64_t>(page_size);
  return c;
}

pid_t server_process(pid_t pid, const std::vector<BoundSocket>& sockets) {
  if (holds(pid, sockets)) return pid;
  net::Result<std::vector<ProcStat>> procs = all_processes();
  if (!procs) return pid;
  for (const ProcStat& p : descendants(*procs, pid)) {
    if (holds(p.pid, sockets)) return p.pid;
  }
  return pid;
}

net::Result<PortRange> ephemeral_port_range() {
  const char* path = "/proc/sys/net/ipv4/ip_local_port_range";
  std::ifstream in(path);
  unsigned low = 0;
  unsigned high = 0;
  if (!(in >> low >> high) || low == 0 || low > high || high > 65535)
    return net::Error{fmt::format("cannot read the port range from {}", path)};
  return PortRange{static_cast<std::uint16_t>(low), static_cast<std::uint16_t>(high)};
}

}  // namespace sockspec::target
