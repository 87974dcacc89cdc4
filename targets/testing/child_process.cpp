// fork/exec with pipes for tests; the test-side counterpart of the harness's launcher.
#include "targets/testing/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

namespace sockspec::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

ExitStatus decode(int raw) {
  if (WIFEXITED(raw)) return {WEXITSTATUS(raw), 0};
  return {-1, WIFSIGNALED(raw) ? WTERMSIG(raw) : 0};
}

}  // namespace

std::string program_path(const std::string& name) {
  const char* dir = std::getenv("SOCKSPEC_BIN_DIR");
  return std::string(dir ? dir : ".") + "/" + name;
}

net::Result<ChildProcess> ChildProcess::start(std::vector<std::string> argv,
                                              std::string stdin_data) {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0) return net::errno_error(errno, "pipe2");
  net::Fd in_read(in[0]);
  net::Fd in_write(in[1]);
  if (::pipe2(out, O_CLOEXEC) != 0) return net::errno_error(errno, "pipe2");
  net::Fd out_read(out[0]);
  net::Fd out_write(out[1]);
  net::Fd err(::memfd_create("stderr", MFD_CLOEXEC));
  if (!err) return net::errno_error(errno, "memfd_create");
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return net::errno_error(errno, "fork");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec: the test may have other threads.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in_read.get(), STDIN_FILENO);
    ::dup2(out_write.get(), STDOUT_FILENO);
    ::dup2(err.get(), STDERR_FILENO);  // dup2 clears close-on-exec on the copies
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so the group exists before we signal it
  in_read.reset();
  out_write.reset();
  // Test inputs are small; a child that does not read gets EPIPE here, which is ignored.
  ::signal(SIGPIPE, SIG_IGN);
  std::size_t done = 0;
  while (done < stdin_data.size()) {
    const ssize_t n = ::write(in_write.get(), stdin_data.data() + done, stdin_data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  in_write.reset();
  ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
  return ChildProcess(pid, std::move(out_read), std::move(err));
}

ChildProcess::ChildProcess(pid_t pid, net::Fd out, net::Fd err)
    : pid_(pid), out_fd_(std::move(out)), err_fd_(std::move(err)) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      out_fd_(std::move(other.out_fd_)),
      err_fd_(std::move(other.err_fd_)),
      out_(std::move(other.out_)),
      lines_taken_(other.lines_taken_),
      status_(other.status_) {}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  if (!status_) ::waitpid(pid_, nullptr, 0);
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
  pollfd p{out_fd_.get(), POLLIN, 0};
  if (p.fd < 0) return false;
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;
  char buffer[65536];
  const ssize_t got = ::read(out_fd_.get(), buffer, sizeof buffer);
  if (got > 0) {
    out_.append(buffer, static_cast<std::size_t>(got));
  } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
    out_fd_.reset();
  }
  return true;
}

std::string ChildProcess::err() const {
  std::string text;
  if (!err_fd_) return text;
  char buffer[65536];
  for (;;) {
    const ssize_t got =
        ::pread(err_fd_.get(), buffer, sizeof buffer, static_cast<off_t>(text.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(got));
  }
}

std::vector<std::string> ChildProcess::read_lines(std::size_t count,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  auto complete_lines = [&] {
    std::size_t lines = 0;
    for (std::size_t i = lines_taken_; i < out_.size(); ++i) lines += out_[i] == '\n';
    return lines;
  };
  while (complete_lines() < count && SteadyClock::now() < deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (!pump(left)) break;
  }
  std::vector<std::string> lines;
  while (lines.size() < count) {
    const auto end = out_.find('\n', lines_taken_);
    if (end == std::string::npos) break;
    lines.push_back(out_.substr(lines_taken_, end - lines_taken_));
    lines_taken_ = end + 1;
  }
  return lines;
}

void ChildProcess::signal(int sig) const {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      status_ = decode(raw);
      return status_;
    }
    if (SteadyClock::now() >= deadline) return std::nullopt;
    // Keep stdout drained meanwhile, so a chatty child cannot block on a full pipe.
    if (!pump(std::chrono::milliseconds(5))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
}

std::optional<ExitStatus> ChildProcess::finish(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline && pump(std::chrono::milliseconds(20))) {
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return wait(std::max(left, std::chrono::milliseconds(0)));
}

}  // namespace sockspec::testing
