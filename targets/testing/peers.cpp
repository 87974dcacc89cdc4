// Test peers over the net library, and /proc counting.
#include "targets/testing/peers.hpp"

#include <dirent.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <limits>
#include <sstream>

#include "targets/net/datagram.hpp"
#include "targets/net/io.hpp"

namespace sockspec::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

milliseconds left_until(SteadyClock::time_point deadline) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(deadline - SteadyClock::now()));
}

int count_entries(const std::string& dir) {
  int n = 0;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
    ::closedir(d);
  }
  return n;
}

}  // namespace

void must(const net::Status& status) {
  if (!status) throw std::runtime_error(status.error().message);
}

net::Result<net::Socket> connect_tcp(const net::Endpoint& server) {
  auto socket = net::Socket::tcp(server.family());
  if (!socket) return socket;
  if (auto s = socket->connect(server); !s) return s.error();
  return socket;
}

bool send_everything(const net::Socket& socket, std::string_view data, milliseconds timeout) {
  const auto r = net::send_all(socket.fd(), std::as_bytes(std::span(data)), -1, timeout);
  return r.outcome == net::IoOutcome::kData && r.bytes == data.size();
}

Received read_until_eof(const net::Socket& socket, milliseconds timeout, std::size_t limit) {
  const auto deadline = SteadyClock::now() + timeout;
  Received got;
  std::array<std::byte, 65536> buffer;
  while (got.bytes.size() < limit) {
    const auto w = net::wait_for(socket.fd(), POLLIN, -1, left_until(deadline));
    if (w.outcome != net::WaitOutcome::kReady) break;
    const std::size_t want = std::min(buffer.size(), limit - got.bytes.size());
    const auto r = net::recv_some(socket.fd(), std::span(buffer).first(want));
    if (r.outcome == net::IoOutcome::kData) {
      got.bytes.append(reinterpret_cast<const char*>(buffer.data()), r.bytes);
    } else if (r.outcome == net::IoOutcome::kEof) {
      got.eof = true;
      break;
    } else if (r.outcome == net::IoOutcome::kReset) {
      got.reset = true;
      break;
    } else if (r.outcome == net::IoOutcome::kError) {
      break;
    }
  }
  return got;
}

Received read_exactly(const net::Socket& socket, std::size_t count, milliseconds timeout) {
  return read_until_eof(socket, timeout, count);
}

net::Result<net::Socket> open_udp_client(const net::Endpoint& server) {
  return net::Socket::udp(server.family());
}

std::optional<Datagram> udp_request(const net::Socket& socket, const net::Endpoint& server,
                                    std::string_view payload, milliseconds timeout) {
  if (!net::send_datagram(socket, std::as_bytes(std::span(payload)), server)) return std::nullopt;
  const auto w = net::wait_for(socket.fd(), POLLIN, -1, timeout);
  if (w.outcome != net::WaitOutcome::kReady) return std::nullopt;
  auto d = net::receive_datagram(socket);
  if (!d || !*d) return std::nullopt;
  const auto& payload_bytes = (*d)->payload;
  return Datagram{
      std::string(reinterpret_cast<const char*>(payload_bytes.data()), payload_bytes.size()),
      (*d)->peer};
}

ProcessCensus census(int pid) {
  ProcessCensus c;
  const std::string base = "/proc/" + std::to_string(pid);
  c.fds = count_entries(base + "/fd");
  c.threads = count_entries(base + "/task");
  // Children of every thread of the process (CONFIG_PROC_CHILDREN), each checked for 'Z'.
  DIR* tasks = ::opendir((base + "/task").c_str());
  if (tasks == nullptr) return c;
  while (const dirent* t = ::readdir(tasks)) {
    if (t->d_name[0] == '.') continue;
    std::ifstream children(base + "/task/" + t->d_name + "/children");
    int child = 0;
    while (children >> child) {
      ++c.children;
      std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
      std::string line;
      std::getline(stat, line);
      const auto close = line.rfind(')');
      if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') {
        ++c.zombies;
      }
    }
  }
  ::closedir(tasks);
  return c;
}

std::vector<int> group_members(int pgid) {
  std::vector<int> members;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return members;
  while (const dirent* e = ::readdir(proc)) {
    const std::string name = e->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat("/proc/" + name + "/stat");
    std::string line;
    std::getline(stat, line);
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    std::string state;
    int ppid = 0;
    int group = 0;
    if (rest >> state >> ppid >> group && group == pgid) members.push_back(std::stoi(name));
  }
  ::closedir(proc);
  return members;
}

long resident_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
    status.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

long group_resident_kib(int pgid) {
  long total = 0;
  for (const int pid : group_members(pgid)) total += resident_kib(pid);
  return total;
}

long group_cpu_ms(int pgid) {
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  long ticks = 0;
  for (const int pid : group_members(pgid)) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
    std::istringstream rest(line.substr(close + 1));
    std::string field;
    long utime = 0;
    long stime = 0;
    for (int f = 3; f <= 13 && rest >> field; ++f) {
    }
    if (rest >> utime >> stime) ticks += utime + stime;
  }
  return ticks * 1000 / ticks_per_second;
}

}  // namespace sockspec::testing
