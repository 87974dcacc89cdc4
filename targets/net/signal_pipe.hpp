// SignalPipe: turns signals into a readable descriptor (a signalfd), so every wait in a server
// can include "stop was asked" alongside its sockets.
//
// No handler runs: the signals are blocked and wait in the kernel until the descriptor is read.
// A handler would be run by whichever thread the kernel picks, at whatever point it is; under
// TSan it is deferred to the thread's next intercepted call, and a SIGINT that arrived just
// before a blocking epoll_wait() was seen never (about 1 start in 200 of the tsan build).
#pragma once

#include <initializer_list>

#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::net {

class SignalPipe {
 public:
  // Blocks the signals in the calling thread and opens a signalfd for them. Call it before any
  // other thread starts: threads inherit the blocked set, and a thread that did not block them
  // would take the signal with its default action (for SIGTERM: the end of the process).
  // At most one SignalPipe per signal per process. The destructor consumes what is pending and
  // unblocks the signals in the calling thread.
  // `fd()` users never consume, so once a signal arrived it stays readable ("level-triggered
  // stop"); call drain() to consume (SIGCHLD-style notifications).
  [[nodiscard]] static Result<SignalPipe> install(std::initializer_list<int> signals);

  SignalPipe(SignalPipe&& other) noexcept;
  SignalPipe& operator=(SignalPipe&&) = delete;
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;
  ~SignalPipe();

  [[nodiscard]] int fd() const { return fd_.get(); }
  // True once any of the signals arrived (or raise_now() was called) and was not drained.
  [[nodiscard]] bool fired() const;
  // Consumes what is pending; fired() is false again until the next signal.
  void drain();
  // Sends the first of the signals to this process: used by tests and to stop from inside.
  void raise_now();

 private:
  SignalPipe(Fd fd, int mask);
  Fd fd_;
  int signals_mask_ = 0;  // bit n set: this descriptor takes signal n (n < 32)
};

// SIGPIPE is ignored process-wide: a write to a closed peer returns EPIPE instead of killing
// the server (STR-5). Sends also use MSG_NOSIGNAL; this covers every other path.
void ignore_sigpipe();

// In a forked child: give SIGTERM/SIGINT/SIGCHLD back their default action and unblock them,
// so a signal sent to that child alone acts on it alone. (The child's copy of the parent's
// descriptor reads the child's own signals, which now never wait: it stays quiet.)
void reset_signals_in_child(std::initializer_list<int> signals);

}  // namespace sockspec::net
