// fork/exec with pipes, a bounded collection loop, and kill-and-reap on destruction.
#include "targets/client/tests/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "targets/net/signal_pipe.hpp"
#include "targets/net/sys.hpp"

namespace sockspec::client::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Pipe {
  net::Fd read;
  net::Fd write;
};

net::Result<Pipe> make_pipe() {
  int fds[2] = {-1, -1};
  if (net::sys::ops().pipe2(fds, O_CLOEXEC) != 0) return net::errno_error(errno, "pipe2");
  return Pipe{net::Fd(fds[0]), net::Fd(fds[1])};
}

// In the child, between fork and exec: async-signal-safe calls only, no allocation.
[[noreturn]] void exec_child(int in, int out, int err, char* const* argv) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // dup2 clears close-on-exec on the copies; every other descriptor is close-on-exec.
  if (::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
      ::dup2(err, STDERR_FILENO) < 0) {
    ::_exit(126);
  }
  ::execv(argv[0], argv);
  ::_exit(127);
}

void append_from(net::Fd& fd, std::string& to) {
  char buffer[65536];
  const ssize_t n = net::sys::ops().read(fd.get(), buffer, sizeof buffer);
  if (n > 0) {
    to.append(buffer, static_cast<std::size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    fd.reset();  // EOF (or a broken pipe): this stream is done
  }
}

}  // namespace

net::Result<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                              Options options) {
  net::ignore_sigpipe();  // a child that exits without reading stdin must not kill the test
  auto in = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  if (!in) return in.error();
  if (!out) return out.error();
  if (!err) return err.error();
  std::vector<std::string> args = argv;  // stable storage for the child's char* array
  std::vector<char*> raw;
  for (auto& a : args) raw.push_back(a.data());
  raw.push_back(nullptr);
  const pid_t pid = net::sys::ops().fork();
  if (pid < 0) return net::errno_error(errno, "fork");
  if (pid == 0) exec_child(in->read.get(), out->write.get(), err->write.get(), raw.data());
  ::setpgid(pid, pid);  // also from the parent, so kill_group() works at once (no race)
  // Our write end of stdin is non-blocking: wait() interleaves feeding it with reading output.
  const int flags = net::sys::ops().fcntl(in->write.get(), F_GETFL, 0);
  (void)net::sys::ops().fcntl(in->write.get(), F_SETFL, flags | O_NONBLOCK);
  ChildProcess child(pid, std::move(in->write), std::move(out->read), std::move(err->read),
                     std::move(options.stdin_data));
  child.keep_stdin_open_ = options.keep_stdin_open;
  if (!child.keep_stdin_open_ && child.input_.empty()) child.in_.reset();  // EOF at once
  return child;
}

ChildProcess::ChildProcess(pid_t pid, net::Fd in, net::Fd out, net::Fd err, std::string input)
    : pid_(pid),
      in_(std::move(in)),
      out_(std::move(out)),
      err_(std::move(err)),
      input_(std::move(input)),
      started_(SteadyClock::now()) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_(std::move(other.in_)),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)),
      input_(std::move(other.input_)),
      keep_stdin_open_(other.keep_stdin_open_),
      started_(other.started_) {}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  kill_group();
  int status = 0;
  (void)reap(status, true);
}

void ChildProcess::kill_group() const {
  (void)net::sys::ops().kill(-pid_, SIGKILL);
  (void)net::sys::ops().kill(pid_, SIGKILL);
}

bool ChildProcess::reap(int& status, bool block) {
  for (;;) {
    const pid_t r = net::sys::ops().waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return true;
    }
    if (r < 0 && errno == EINTR) continue;
    return false;
  }
}

ChildResult ChildProcess::wait(std::chrono::milliseconds limit) {
  ChildResult result;
  const auto deadline = started_ + limit;
  std::size_t fed = 0;
  int status = 0;
  bool reaped = false;
  while (!reaped && SteadyClock::now() < deadline) {
    pollfd fds[3] = {{out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0}, {-1, POLLOUT, 0}};
    if (fed < input_.size()) fds[2].fd = in_.get();  // poll ignores negative descriptors
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
    // Once both outputs are closed only the exit is left to see: look again every 5 ms.
    const bool outputs_open = out_.valid() || err_.valid();
    const int wait_ms = static_cast<int>(outputs_open ? std::max<long>(0, left.count())
                                                      : std::min<long>(5, left.count()));
    const int n = net::sys::ops().poll(fds, 3, std::max(0, wait_ms));
    if (n < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) append_from(out_, result.out);
    if (fds[1].revents != 0) append_from(err_, result.err);
    if (fds[2].revents != 0) {
      const ssize_t w = net::sys::ops().write(in_.get(), input_.data() + fed, input_.size() - fed);
      if (w > 0) fed += static_cast<std::size_t>(w);
      if (w < 0 && errno != EINTR && errno != EAGAIN) fed = input_.size();  // reader gone
      if (fed == input_.size() && !keep_stdin_open_) in_.reset();
    }
    if (!outputs_open) reaped = reap(status, false);
  }
  if (!reaped) {
    result.timed_out = true;
    kill_group();
    reaped = reap(status, true);
  }
  result.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started_);
  if (reaped && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (reaped && WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

std::string program_path(const std::string& name) {
  const char* dir = std::getenv("SOCKSPEC_BIN_DIR");
  return dir == nullptr ? std::string() : std::string(dir) + "/" + name;
}

ChildResult run_client(const std::vector<std::string>& args, ChildProcess::Options options,
                       std::chrono::milliseconds limit) {
  const std::string path = program_path("sockspec-client");
  if (path.empty()) throw std::runtime_error("SOCKSPEC_BIN_DIR is not set (run through ctest)");
  std::vector<std::string> argv = {path};
  argv.insert(argv.end(), args.begin(), args.end());
  auto child = ChildProcess::start(argv, std::move(options));
  if (!child) throw std::runtime_error(child.error().message);
  return child->wait(limit);
}

}  // namespace sockspec::client::testing
