// Containment (see containment.hpp): the run folder, its keeper, and one cgroup per program.
#include "harness/target/containment.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "harness/target/spawn.hpp"

namespace sockspec::target {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kEmptyWait{2000};
constexpr int kKillRounds = 100;  // kernels without cgroup.kill: members killed one by one
constexpr int kMaxDepth = 16;     // cgroup folders below a run folder, nested (a target's own)
constexpr std::string_view kRunPrefix = "sockspec.";
constexpr std::size_t kMaxIdle = 256;  // empty cgroups kept for reuse
// How long kill_all() lets the processes it was asked about end by themselves (SIGKILL sent to
// their group) before it kills the cgroup.
constexpr milliseconds kSettle{50};

// Waits for the harness's end (EOF on stdin), then kills everything in the run folder ($1) and
// removes it, deepest folders first; gives up after 10 s. Ignores the signals a terminal sends.
constexpr const char* kKeeperScript =
    "trap '' INT TERM HUP QUIT PIPE\n"
    "while read -r _; do :; done\n"
    "rm_tree() { for d in \"$1\"/*/; do [ -d \"$d\" ] && rm_tree \"${d%/}\"; done; "
    "rmdir \"$1\" 2>/dev/null; }\n"
    "n=0\n"
    "while [ -d \"$1\" ] && [ $n -lt 100 ]; do\n"
    "  echo 1 > \"$1/cgroup.kill\" 2>/dev/null ||"
    " for p in $(cat \"$1\"/cgroup.procs \"$1\"/*/cgroup.procs 2>/dev/null); do kill -9 $p; done\n"
    "  rm_tree \"$1\"; n=$((n+1)); [ -d \"$1\" ] && sleep 0.1\n"
    "done\n";

bool write_text(const std::string& path, std::string_view text) {
  const net::Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  return fd && ::write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<pid_t> pids_in(const std::string& procs_path) {
  std::vector<pid_t> out;
  std::istringstream in(read_text(procs_path));
  for (pid_t pid = 0; in >> pid;) out.push_back(pid);
  return out;
}

// Waits until `dir`'s cgroup.events says "populated 0", at most `timeout`.
bool wait_empty(const std::string& dir, milliseconds timeout) {
  const net::Fd events(::open((dir + "/cgroup.events").c_str(), O_RDONLY | O_CLOEXEC));
  if (!events) return false;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    char text[256] = {};
    const ssize_t got = ::pread(events.get(), text, sizeof text - 1, 0);
    if (got > 0 && std::string_view(text, static_cast<std::size_t>(got)).find("populated 0") !=
                       std::string_view::npos) {
      return true;
    }
    const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now());
    if (got <= 0 || left <= milliseconds::zero()) return false;
    // The kernel notifies a change of cgroup.events as POLLPRI, but from a work queue: 10 ms
    // late and more on a busy machine, while the file itself changes as the last process exits.
    pollfd p{events.get(), POLLPRI, 0};
    ::poll(&p, 1, static_cast<int>(std::min(left, milliseconds(1)).count()));
  }
}

// Kills what is in `dir` (and below) and removes the folders, deepest first.
void kill_and_remove_tree(const std::string& dir, int depth = 0) {
  if (depth == 0) {
    if (!write_text(dir + "/cgroup.kill", "1")) {
      for (const pid_t pid : pids_in(dir + "/cgroup.procs")) ::kill(pid, SIGKILL);
    }
    (void)wait_empty(dir, kEmptyWait);
  }
  std::error_code ec;
  if (depth < kMaxDepth) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_directory(ec)) kill_and_remove_tree(entry.path().string(), depth + 1);
    }
  }
  ::rmdir(dir.c_str());
}

// The cgroup2 mount point (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems).
std::string cgroup2_mount() {
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    const std::size_t dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, dev, root, mount;
    if (fields >> id >> parent >> dev >> root >> mount && root == "/") return mount;
  }
  return {};
}

// This process's cgroup v2 path ("0::/path" in /proc/self/cgroup).
std::string own_cgroup() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return {};
}

// The keeper (containment.hpp): /bin/sh with the script, reading the pipe whose write end is
// returned; not killed with the harness (no PDEATHSIG), in a process group of its own.
net::Fd start_keeper(const std::string& run_dir) {
  int in[2] = {-1, -1};
  int status[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0) return {};
  net::Fd in_read(in[0]), in_write(in[1]);
  if (::pipe2(status, O_CLOEXEC) != 0) return {};
  const net::Fd status_read(status[0]), status_write(status[1]);
  const net::Fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  if (!null) return {};
  std::string sh = "/bin/sh", dash_c = "-c", script = kKeeperScript, name = "sockspec-keeper",
              dir = run_dir, path_var = "PATH=/usr/bin:/bin";
  char* argv[] = {sh.data(), dash_c.data(), script.data(), name.data(), dir.data(), nullptr};
  char* envp[] = {path_var.data(), nullptr};
  ChildSetup setup;
  setup.parent = ::getpid();
  setup.die_with_parent = false;
  setup.stdin_fd = in_read.get();
  setup.stdout_fd = null.get();
  setup.stderr_fd = null.get();
  setup.status_fd = status_write.get();
  setup.path = sh.c_str();
  setup.argv = argv;
  setup.envp = envp;
  if (!spawn_child(setup)) return {};
  return in_write;
}

struct RunFolder {
  std::string path;  // empty: no cgroups here (why)
  std::string why;
  pid_t owner = -1;
  net::Fd keeper;  // closed last: the keeper then finds nothing left to do
  std::atomic<unsigned> next{0};
  // Empty cgroups of ended programs, for the next ones: a new folder costs the kernel RCU grace
  // periods (creating and, later, taking down its state), which made each start ~10 ms slower.
  std::mutex idle_mutex;
  std::vector<std::string> idle;

  RunFolder() {
    if (const char* off = std::getenv("SOCKSPEC_NO_CGROUP"); off != nullptr && *off != '\0') {
      why = "SOCKSPEC_NO_CGROUP is set";
      return;
    }
    const std::string mount = cgroup2_mount();
    const std::string own = own_cgroup();
    if (mount.empty() || own.empty()) {
      why = "no cgroup v2 hierarchy is mounted";
      return;
    }
    const std::string parent = mount + (own == "/" ? "" : own);
    (void)remove_stale_run_folders(parent);
    owner = ::getpid();
    const std::string dir = fmt::format("{}/{}{}", parent, kRunPrefix, owner);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno == EEXIST) {  // a former process of this pid
      kill_and_remove_tree(dir);
      (void)::mkdir(dir.c_str(), 0755);
    }
    if (::access((dir + "/cgroup.procs").c_str(), W_OK) != 0 ||
        ::access((parent + "/cgroup.procs").c_str(), W_OK) != 0) {
      why = fmt::format("{} is not writable (cgroup v2 not delegated to this user)", parent);
      ::rmdir(dir.c_str());
      return;
    }
    path = dir;
    keeper = start_keeper(dir);
  }
  ~RunFolder() {
    if (!path.empty() && ::getpid() == owner) kill_and_remove_tree(path);
  }
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;
};

RunFolder& run_folder() {
  static RunFolder folder;
  return folder;
}

}  // namespace

int remove_stale_run_folders(const std::string& parent) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kRunPrefix, 0) != 0 || !entry.is_directory(ec)) continue;
    pid_t owner = 0;
    const char* digits = name.data() + kRunPrefix.size();
    const auto [end, error] = std::from_chars(digits, name.data() + name.size(), owner);
    if (error != std::errc() || end != name.data() + name.size() || owner <= 0) continue;
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // its harness still runs
    kill_and_remove_tree(entry.path().string());
    ++removed;
  }
  return removed;
}

bool cgroups_available() {
  return !run_folder().path.empty();
}

std::string containment_description() {
  const RunFolder& f = run_folder();
  if (f.path.empty()) return "process group only: " + f.why;
  return fmt::format("cgroup v2: {}{}", f.path,
                     f.keeper ? "" : " (no keeper: /bin/sh could not be started)");
}

net::Result<Cgroup> Cgroup::create() {
  RunFolder& f = run_folder();
  if (f.path.empty()) return net::Error{"no cgroup: " + f.why};
  std::string dir;
  {
    const std::lock_guard lock(f.idle_mutex);
    if (!f.idle.empty()) {
      dir = std::move(f.idle.back());
      f.idle.pop_back();
    }
  }
  if (dir.empty()) {
    dir = fmt::format("{}/p{}", f.path, f.next.fetch_add(1));
    if (::mkdir(dir.c_str(), 0755) != 0) return net::errno_error(errno, "create cgroup " + dir);
  }
  net::Fd folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder) {
    const int error = errno;
    ::rmdir(dir.c_str());
    return net::errno_error(error, "open " + dir);
  }
  return Cgroup(dir, std::move(folder));
}

Cgroup& Cgroup::operator=(Cgroup&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
    dir_ = std::move(other.dir_);
    killed_ = other.killed_;
  }
  return *this;
}

Cgroup::~Cgroup() {
  remove();
}

void Cgroup::remove() {
  if (path_.empty()) return;
  dir_.reset();
  // Kept for the next program when empty, without folders of its own (a root target may make
  // some); removed otherwise.
  if (kill_all(kEmptyWait) && !killed_ &&
      read_text(path_ + "/cgroup.stat").find("nr_descendants 0") != std::string::npos) {
    RunFolder& f = run_folder();
    const std::lock_guard lock(f.idle_mutex);
    if (f.idle.size() < kMaxIdle) {
      f.idle.push_back(std::exchange(path_, {}));
      return;
    }
  }
  kill_and_remove_tree(path_);
  path_.clear();
}

std::vector<pid_t> Cgroup::members() const {
  return path_.empty() ? std::vector<pid_t>{} : pids_in(path_ + "/cgroup.procs");
}

bool Cgroup::kill_all(milliseconds timeout) {
  if (path_.empty()) return true;
  // What the caller killed already (its process group) ends by itself: no cgroup.kill then.
  if (wait_empty(path_, kSettle)) return true;
  killed_ = true;
  if (!write_text(path_ + "/cgroup.kill", "1")) {
    for (int round = 0; round < kKillRounds; ++round) {
      const std::vector<pid_t> alive = members();
      if (alive.empty()) break;
      for (const pid_t pid : alive) ::kill(pid, SIGKILL);
    }
  }
  return wait_empty(path_, timeout);
}

}  // namespace sockspec::target
