// fork/exec with pipes for tests; the test-side counterpart of the harness's launcher.
#include "targets/testing/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <thread>
#include <utility>

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

net::Result<ChildProcess> ChildProcess::start(std::vector<std::string> argv, StartOptions options) {
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
  // A child that exits without reading stdin gives us EPIPE, not a SIGPIPE that ends the test.
  ::signal(SIGPIPE, SIG_IGN);
  const pid_t parent = ::getpid();
  const SteadyClock::time_point started = SteadyClock::now();
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
  // Both of our ends are non-blocking: pump() interleaves feeding stdin with reading stdout.
  ::fcntl(in_write.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
  ChildProcess child(pid, std::move(in_write), std::move(out_read), std::move(err),
                     std::move(options), started);
  child.feed();  // closes stdin at once when there is nothing to write
  return child;
}

ChildProcess::ChildProcess(pid_t pid, net::Fd in, net::Fd out, net::Fd err, StartOptions options,
                           SteadyClock::time_point started)
    : pid_(pid),
      in_fd_(std::move(in)),
      out_fd_(std::move(out)),
      err_fd_(std::move(err)),
      in_(std::move(options.stdin_data)),
      keep_stdin_open_(options.keep_stdin_open),
      started_(started) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_fd_(std::move(other.in_fd_)),
      out_fd_(std::move(other.out_fd_)),
      err_fd_(std::move(other.err_fd_)),
      in_(std::move(other.in_)),
      fed_(other.fed_),
      keep_stdin_open_(other.keep_stdin_open_),
      out_(std::move(other.out_)),
      lines_taken_(other.lines_taken_),
      status_(other.status_),
      started_(other.started_),
      ended_(other.ended_) {}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  (void)reap(true);
}

bool ChildProcess::reap(bool block) {
  if (status_) return true;
  for (;;) {
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, block ? 0 : WNOHANG);
    if (r == pid_) {
      ended_ = SteadyClock::now();
      status_ = decode(raw);
      return true;
    }
    if (r < 0 && errno == EINTR) continue;
    return false;
  }
}

void ChildProcess::feed() {
  while (in_fd_ && fed_ < in_.size()) {
    const ssize_t n = ::write(in_fd_.get(), in_.data() + fed_, in_.size() - fed_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;  // the pipe is full: pump() waits for room
    if (n <= 0) {
      fed_ = in_.size();  // the reader is gone (EPIPE): nothing more can be fed
      break;
    }
    fed_ += static_cast<std::size_t>(n);
  }
  if (!keep_stdin_open_) in_fd_.reset();
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
  const bool feeding = in_fd_ && fed_ < in_.size();
  pollfd p[2] = {{out_fd_.get(), POLLIN, 0}, {feeding ? in_fd_.get() : -1, POLLOUT, 0}};
  if (p[0].fd < 0 && p[1].fd < 0) return false;
  if (::poll(p, 2, static_cast<int>(timeout.count())) <= 0) return out_fd_.valid();
  if (p[1].revents != 0) feed();
  if (p[0].revents == 0) return out_fd_.valid();
  char buffer[65536];
  const ssize_t got = ::read(out_fd_.get(), buffer, sizeof buffer);
  if (got > 0) {
    out_.append(buffer, static_cast<std::size_t>(got));
  } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
    out_fd_.reset();
  }
  return out_fd_.valid();
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
  const auto deadline = SteadyClock::now() + timeout;
  while (!reap(false)) {
    if (SteadyClock::now() >= deadline) return std::nullopt;
    // Keep stdout drained and stdin fed meanwhile, so the child cannot block on either pipe.
    if (!pump(std::chrono::milliseconds(5))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return status_;
}

std::optional<ExitStatus> ChildProcess::finish(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline && pump(std::chrono::milliseconds(20))) {
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return wait(std::max(left, std::chrono::milliseconds(0)));
}

RunResult ChildProcess::run(std::chrono::milliseconds limit) {
  const auto deadline = started_ + limit;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now()));
  };
  while (SteadyClock::now() < deadline && pump(left())) {
  }
  RunResult result;
  if (!wait(left())) {
    result.timed_out = true;
    ::kill(-pid_, SIGKILL);
    (void)reap(true);
  }
  result.status = status_.value_or(ExitStatus{});
  result.out = out_;
  result.err = err();
  result.elapsed = elapsed().value_or(std::chrono::milliseconds(0));
  result.ended = ended_;
  return result;
}

std::optional<std::chrono::milliseconds> ChildProcess::elapsed() const {
  if (!status_) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(ended_ - started_);
}

net::Result<RunResult> run(std::vector<std::string> argv, StartOptions options,
                           std::chrono::milliseconds limit) {
  auto child = ChildProcess::start(std::move(argv), std::move(options));
  if (!child) return child.error();
  return child->run(limit);
}

}  // namespace sockspec::testing
