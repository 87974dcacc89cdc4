// Signals read from a signalfd: blocked, so they wait in the kernel until read (no handler).
#include "targets/net/signal_pipe.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "targets/net/sys.hpp"

namespace sockspec::net {
namespace {

constexpr int kMaxSignal = 32;

sigset_t set_of(int mask) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig = 1; sig < kMaxSignal; ++sig) {
    if ((mask & (1 << sig)) != 0) sigaddset(&set, sig);
  }
  return set;
}

void set_handler(int sig, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  ::sigaction(sig, &sa, nullptr);
}

}  // namespace

SignalPipe::SignalPipe(Fd fd, int mask) : fd_(std::move(fd)), signals_mask_(mask) {}

SignalPipe::SignalPipe(SignalPipe&& other) noexcept
    : fd_(std::move(other.fd_)), signals_mask_(std::exchange(other.signals_mask_, 0)) {}

Result<SignalPipe> SignalPipe::install(std::initializer_list<int> signals) {
  int mask = 0;
  for (const int sig : signals) {
    if (sig <= 0 || sig >= kMaxSignal) return Error{"signal number out of range"};
    mask |= 1 << sig;
  }
  const sigset_t set = set_of(mask);
  // Blocked before the descriptor exists: a signal in between waits for it instead of acting.
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  const int fd = sys::ops().signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    return errno_error(error, "signalfd");
  }
  return SignalPipe{Fd(fd), mask};
}

SignalPipe::~SignalPipe() {
  if (signals_mask_ == 0) return;
  drain();  // unblocking a pending SIGTERM would end the process
  const sigset_t set = set_of(signals_mask_);
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

bool SignalPipe::fired() const {
  pollfd p{fd_.get(), POLLIN, 0};
  return sys::ops().poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

void SignalPipe::drain() {
  signalfd_siginfo info[4];
  while (sys::ops().read(fd_.get(), info, sizeof info) > 0) {
  }
}

void SignalPipe::raise_now() {
  for (int sig = 1; sig < kMaxSignal; ++sig) {
    if ((signals_mask_ & (1 << sig)) != 0) {
      (void)sys::ops().kill(::getpid(), sig);
      return;
    }
  }
}

void ignore_sigpipe() {
  set_handler(SIGPIPE, SIG_IGN);
}

void reset_signals_in_child(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (const int sig : signals) {
    if (sig <= 0 || sig >= kMaxSignal) continue;
    set_handler(sig, SIG_DFL);
    sigaddset(&set, sig);
  }
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace sockspec::net
