// The launcher: a child in a new process group (spawn.cpp), output drained by a reader thread,
// exit observed through a pidfd. waitpid and kill appear here once each.
#include "harness/target/process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "harness/target/leftovers.hpp"
#include "harness/target/process_output.hpp"
#include "harness/target/spawn.hpp"

extern char** environ;  // NOLINT: POSIX

namespace sockspec::target {
namespace {

using Clock = std::chrono::steady_clock;

// A bound for a reader that cannot run at all: wait_drained() returns as soon as it has read
// the pipes. (It was 100 ms, waiting for EOF: a reader starved that long under load lost a
// client's whole stdout, the cli/udp-sequential-runs flip.)
constexpr std::chrono::milliseconds kDrainAfterExit{2000};

// argv[0] itself when it holds a '/', else the first executable file of that name in PATH.
net::Result<std::string> resolve_program(const TargetCommand& command) {
  const std::string& name = command.argv.front();
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const auto& [key, value] : command.env) {
    if (key == "PATH") dirs = value;
  }
  for (std::size_t begin = 0; begin <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
    const std::string dir = end == begin ? "." : dirs.substr(begin, end - begin);
    const std::string candidate = dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    begin = end + 1;
  }
  return net::Error{fmt::format("cannot run '{}': not found in PATH", name)};
}

// The harness's environment with `added` set (replacing any entry of the same name).
std::vector<std::string> environment(const TargetCommand& command) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    if (std::none_of(command.env.begin(), command.env.end(),
                     [&](const auto& kv) { return kv.first == name; })) {
      out.emplace_back(entry);
    }
  }
  for (const auto& [name, value] : command.env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct Pipe {
  net::Fd read;
  net::Fd write;
};
net::Result<Pipe> make_pipe() {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) return net::errno_error(errno, "pipe2");
  return Pipe{net::Fd(fds[0]), net::Fd(fds[1])};
}

ExitStatus decode(int raw) {
  if (WIFEXITED(raw)) return {WEXITSTATUS(raw), 0};
  return {-1, WIFSIGNALED(raw) ? WTERMSIG(raw) : 0};
}

}  // namespace

net::Result<Process> Process::start(const TargetCommand& command, std::string stdin_data) {
  if (command.argv.empty()) return net::Error{"cannot run an empty command"};
  net::Result<std::string> path = resolve_program(command);
  if (!path) return path.error();
  std::vector<std::string> argv_strings = command.argv;
  std::vector<std::string> env_strings = environment(command);
  const std::vector<char*> argv = pointers(argv_strings);
  const std::vector<char*> envp = pointers(env_strings);

  net::Result<Pipe> out = make_pipe();
  net::Result<Pipe> err = make_pipe();
  net::Result<Pipe> status = make_pipe();
  net::Result<Pipe> stop = make_pipe();
  for (auto* p : {&out, &err, &status, &stop}) {
    if (!*p) return p->error();
  }
  Pipe in;
  if (stdin_data.empty()) {
    in.read = net::Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!in.read) return net::errno_error(errno, "open /dev/null");
  } else {
    net::Result<Pipe> p = make_pipe();
    if (!p) return p.error();
    in = std::move(p).value();
  }
  std::optional<Cgroup> cgroup;
  if (cgroups_available()) {
    net::Result<Cgroup> made = Cgroup::create();
    if (!made)
      return net::Error{fmt::format("cannot contain '{}': {}", *path, made.error().message)};
    cgroup.emplace(std::move(made).value());
  }
  ChildSetup setup;
  setup.parent = ::getpid();
  setup.cgroup_fd = cgroup ? cgroup->fd() : -1;
  setup.stdin_fd = in.read.get();
  setup.stdout_fd = out->write.get();
  setup.stderr_fd = err->write.get();
  setup.status_fd = status->write.get();
  setup.path = path->c_str();
  setup.argv = argv.data();
  setup.envp = envp.data();
  // Returns once the child has made its group and exec'd (or failed: read below).
  net::Result<pid_t> spawned = spawn_child(setup);
  if (!spawned) return spawned.error();
  const pid_t pid = *spawned;
  in.read.reset();
  out->write.reset();
  err->write.reset();
  status->write.reset();

  // glibc 2.36's <sys/pidfd.h> lacks extern "C" (its C++ callers cannot link), hence syscall().
  // Invalid on kernels before 5.3: wait() then falls back to polling.
  net::Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  auto output = std::make_shared<Output>();
  Process process(pid, std::move(pidfd), output, std::move(cgroup));
  if (in.write) ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
  process.stop_write_ = std::move(stop->write);
  process.reader_ = std::jthread(drain, output, std::move(in.write), std::move(stdin_data),
                                 std::move(out->read), std::move(err->read), std::move(stop->read));

  // exec succeeded when the close-on-exec status pipe closes without a word.
  int exec_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(status->read.get(), &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    (void)process.wait(std::chrono::seconds(1));
    return net::errno_error(exec_errno, fmt::format("cannot run '{}'", *path));
  }
  return process;
}

Process::Process(pid_t pid, net::Fd pidfd, std::shared_ptr<Output> output,
                 std::optional<Cgroup> cgroup)
    : cgroup_(std::move(cgroup)),
      pid_(pid),
      pidfd_(std::move(pidfd)),
      output_(std::move(output)),
      started_(Clock::now()) {}

Process::Process(Process&& other) noexcept
    : cgroup_(std::exchange(other.cgroup_, std::nullopt)),
      pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      output_(std::move(other.output_)),
      reader_(std::move(other.reader_)),
      stop_write_(std::move(other.stop_write_)),
      status_(other.status_),
      started_(other.started_),
      ended_(other.ended_) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this == &other) return *this;
  reset();
  cgroup_ = std::exchange(other.cgroup_, std::nullopt);
  pid_ = std::exchange(other.pid_, -1);
  pidfd_ = std::move(other.pidfd_);
  output_ = std::move(other.output_);
  reader_ = std::move(other.reader_);
  stop_write_ = std::move(other.stop_write_);
  status_ = other.status_;
  started_ = other.started_;
  ended_ = other.ended_;
  return *this;
}

Process::~Process() {
  reset();
}

void Process::reset() {
  if (pid_ > 0) {
    kill_all();
    (void)wait(std::chrono::seconds(2));
  }
  stop_write_.reset();  // the reader sees POLLHUP on its end and returns
  if (reader_.joinable()) reader_.join();
  pid_ = -1;
  cgroup_.reset();
}

bool Process::reap() {
  if (status_) return true;
  if (pid_ <= 0) return false;
  for (;;) {
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return false;
    // ECHILD: someone else reaped it (SIGCHLD ignored?): ended, status unknown.
    status_ = r == pid_ ? decode(raw) : ExitStatus{};
    ended_ = Clock::now();
    pidfd_.reset();
    // All it wrote is in the pipes now: let the reader take it in, so output read after the
    // exit is complete (a child it left behind may write more later).
    (void)wait_drained(kDrainAfterExit);
    return true;
  }
}

std::optional<ExitStatus> Process::exit_status() {
  reap();
  return status_;
}

std::optional<ExitStatus> Process::wait(std::chrono::milliseconds timeout, int stop_fd) {
  const auto deadline = Clock::now() + timeout;
  while (!reap()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= std::chrono::milliseconds::zero()) break;
    // Without a pidfd (before Linux 5.3) the wait polls every 5 ms.
    pollfd p[2] = {{pidfd_.get(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
    const int wait_ms = static_cast<int>(pidfd_ ? left.count() : std::min<long>(left.count(), 5));
    ::poll(p, 2, wait_ms);  // EINTR: the loop goes round; a negative fd is ignored
    if ((p[1].revents & POLLIN) != 0) break;
  }
  return status_;
}

namespace {
// The one kill() of the launcher: `target` a pid, or -pgid for a whole group.
void send_signal(pid_t target, int sig) {
  ::kill(target, sig);
}
}  // namespace

void Process::signal(int sig) {
  if (pid_ > 0 && !reap()) send_signal(pid_, sig);
}

void Process::kill_group() {
  // Also after the main process was reaped: orphans of the group keep its id alive (the kernel
  // does not reuse a pid that is still a process group id), so -pid_ reaches only them.
  if (pid_ > 0) send_signal(-pid_, SIGKILL);
}

void Process::kill_all() {
  kill_group();
  if (cgroup_) (void)cgroup_->kill_all(std::chrono::seconds(2));
}

std::vector<pid_t> Process::escaped() const {
  std::vector<pid_t> out;
  if (!cgroup_) return out;
  for (const pid_t member : cgroup_->members()) {
    const pid_t group = process_group_of(member);
    if (member != pid_ && group != -1 && group != pid_) out.push_back(member);
  }
  return out;
}

std::chrono::milliseconds Process::elapsed() const {
  const auto end = status_ ? ended_ : Clock::now();
  return std::chrono::duration_cast<std::chrono::milliseconds>(end - started_);
}

}  // namespace sockspec::target
