// SignalPipe: turns signals into a readable descriptor (the self-pipe trick), so every wait in
// a server can include "stop was asked" alongside its sockets.
#pragma once

#include <initializer_list>

#include "targets/net/fd.hpp"
#include "targets/net/result.hpp"

namespace sockspec::net {

class SignalPipe {
 public:
  // Installs a handler for each signal that writes one byte to the pipe. At most one
  // SignalPipe per signal per process; the destructor restores the default disposition.
  // The read end is never drained by `fd()` users, so once a signal arrived it stays readable
  // ("level-triggered stop"); call drain() to consume (SIGCHLD-style notifications).
  [[nodiscard]] static Result<SignalPipe> install(std::initializer_list<int> signals);

  SignalPipe(SignalPipe&& other) noexcept;
  SignalPipe& operator=(SignalPipe&&) = delete;
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;
  ~SignalPipe();

  [[nodiscard]] int fd() const { return read_.get(); }
  // True once any of the signals arrived (or raise_now() was called).
  [[nodiscard]] bool fired() const;
  // Consumes what is in the pipe; fired() is false again until the next signal.
  void drain();
  // As if a signal had arrived: used by tests and to stop from inside the program.
  void raise_now();

 private:
  SignalPipe(Fd read, Fd write, int mask);
  Fd read_;
  Fd write_;
  int signals_mask_ = 0;  // bit n set: this pipe handles signal n (n < 32)
};

// SIGPIPE is ignored process-wide: a write to a closed peer returns EPIPE instead of killing
// the server (STR-5). Sends also use MSG_NOSIGNAL; this covers every other path.
void ignore_sigpipe();

// In a forked child: give SIGTERM/SIGINT/SIGCHLD back their default action, so a signal sent to
// that child alone acts on it alone, not through the parent's pipe.
void reset_signals_in_child(std::initializer_list<int> signals);

}  // namespace sockspec::net
