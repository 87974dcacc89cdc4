// The reporter interface: every event of a run goes to every reporter. The console streams;
// file reporters write at run end (also after an interruption, with what finished).
#pragma once

#include <memory>
#include <string>

#include "harness/engine/result.hpp"
#include "targets/net/result.hpp"

namespace sockspec::report {

class Reporter {
 public:
  virtual ~Reporter() = default;
  // Calls come from several worker threads; the runner serialises them (never concurrent).
  virtual void run_start(const engine::RunInfo& info) = 0;
  virtual void case_start(const engine::CaseResult& planned) = 0;  // verdict not yet known
  virtual void case_end(const engine::CaseResult& result) = 0;
  // A case run ended, but its result is told later (it runs again alone: runner.hpp).
  virtual void case_deferred(const engine::CaseResult& /*first_run*/) {}
  // Files are written here; an error (cannot write the file) names the path.
  virtual net::Status run_end(const engine::RunResult& run) = 0;
};

}  // namespace sockspec::report
