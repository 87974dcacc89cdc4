// Signal handlers that write to a pipe; the handler does nothing but an async-signal-safe write.
#include "targets/net/signal_pipe.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>

#include <array>
#include <atomic>
#include <cerrno>

#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

constexpr int kMaxSignal = 32;
// Write end of the pipe for each signal, stored as fd + 1 so that zero-initialised means "none".
std::array<std::atomic<int>, kMaxSignal> g_write_fd_plus_one{};

extern "C" void on_signal(int sig) {
  if (sig <= 0 || sig >= kMaxSignal) return;
  const int fd =
      g_write_fd_plus_one[static_cast<std::size_t>(sig)].load(std::memory_order_relaxed) - 1;
  if (fd >= 0) {
    const char byte = static_cast<char>(sig);
    sys::signal_safe_write(fd, &byte, 1);  // a full pipe already says "signalled": fine
  }
}

void set_handler(int sig, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(sig, &sa, nullptr);
}

}  // namespace

SignalPipe::SignalPipe(Fd read, Fd write, int mask)
    : read_(std::move(read)), write_(std::move(write)), signals_mask_(mask) {}

SignalPipe::SignalPipe(SignalPipe&& other) noexcept
    : read_(std::move(other.read_)),
      write_(std::move(other.write_)),
      signals_mask_(std::exchange(other.signals_mask_, 0)) {}

Result<SignalPipe> SignalPipe::install(std::initializer_list<int> signals) {
  int fds[2] = {-1, -1};
  if (sys::ops().pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return errno_error(errno, "pipe2");
  SignalPipe pipe{Fd(fds[0]), Fd(fds[1]), 0};
  for (const int sig : signals) {
    if (sig <= 0 || sig >= kMaxSignal) return Error{"signal number out of range"};
    pipe.signals_mask_ |= 1 << sig;
    g_write_fd_plus_one[static_cast<std::size_t>(sig)].store(fds[1] + 1);
    set_handler(sig, on_signal);
  }
  return pipe;
}

SignalPipe::~SignalPipe() {
  for (int sig = 1; sig < kMaxSignal; ++sig) {
    if ((signals_mask_ & (1 << sig)) != 0) {
      set_handler(sig, SIG_DFL);
      g_write_fd_plus_one[static_cast<std::size_t>(sig)].store(0);
    }
  }
}

bool SignalPipe::fired() const {
  pollfd p{read_.get(), POLLIN, 0};
  return sys::ops().poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

void SignalPipe::drain() {
  char buffer[64];
  while (sys::ops().read(read_.get(), buffer, sizeof buffer) > 0) {
  }
}

void SignalPipe::raise_now() {
  const char byte = 0;
  sys::signal_safe_write(write_.get(), &byte, 1);
}

void ignore_sigpipe() {
  set_handler(SIGPIPE, SIG_IGN);
}

void reset_signals_in_child(std::initializer_list<int> signals) {
  for (const int sig : signals) {
    if (sig > 0 && sig < kMaxSignal) g_write_fd_plus_one[static_cast<std::size_t>(sig)].store(0);
    set_handler(sig, SIG_DFL);
  }
}

}  // namespace sockspec::net
