// StepFailure: how a step ends its case. Thrown by a step that saw something other than what the
// scenario expects, caught by the case runner and turned into the verdict (docs/style.md 5:
// exceptions only to unwind a scenario step to its verdict).
#pragma once

#include <poll.h>

#include <exception>
#include <string>
#include <utility>

#include "harness/engine/result.hpp"
#include "targets/net/io.hpp"

namespace sockspec::engine {

class StepFailure : public std::exception {
 public:
  explicit StepFailure(Failure failure) : failure_(std::move(failure)) {}
  [[nodiscard]] const Failure& failure() const { return failure_; }
  [[nodiscard]] const char* what() const noexcept override { return failure_.observed.c_str(); }

 private:
  Failure failure_;
};

// A step that cannot run here (a lifecycle step against a --connect target): the case is skipped.
class StepSkipped : public std::exception {
 public:
  explicit StepSkipped(std::string reason) : reason_(std::move(reason)) {}
  [[nodiscard]] const char* what() const noexcept override { return reason_.c_str(); }

 private:
  std::string reason_;
};

// The run was interrupted (Ctrl-C) while a step waited.
class Interrupted : public std::exception {
 public:
  [[nodiscard]] const char* what() const noexcept override { return "interrupted"; }
};

// Whether the run was interrupted: `stop_fd` (-1: never) is readable. A step whose wait or start
// ended early because of it throws Interrupted.
[[nodiscard]] inline bool interrupt_seen(int stop_fd) {
  return stop_fd >= 0 && net::wait_for(stop_fd, POLLIN, -1, std::chrono::milliseconds(0)).outcome ==
                             net::WaitOutcome::kReady;
}

}  // namespace sockspec::engine
