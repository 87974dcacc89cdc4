// The output side of a Process: bounded tails of stdout/stderr and the first stdout lines,
// filled by the reader thread (drain) and read by anyone, under one mutex.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/target/process.hpp"
#include "targets/net/fd.hpp"

namespace sockspec::target {

struct Process::Output {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  // Tails: at most 2 * kTailBytes are held, trimmed to kTailBytes (amortised O(1) per byte).
  std::string out_tail;
  std::string err_tail;
  std::string report;  // Process::sanitizer_report()
  bool report_cut = false;
  std::vector<std::string> early;  // the first kEarlyLines complete stdout lines
  std::string line;                // the stdout line being read (capped at kEarlyLineBytes)
  std::uint64_t generation = 0;    // bumped on each early line and at stdout's end
  bool out_ended = false;
  bool err_ended = false;
  // Process::wait_drained's requests to take in whatever the pipes hold, and the last one served.
  std::uint64_t flushes_asked = 0;
  std::uint64_t flushes_done = 0;
  bool reader_gone = false;  // drain() returned: nobody serves requests any more

  void append_stdout(std::string_view data);
  void append_stderr(std::string_view data);
  void end_stdout();
  void end_stderr();
};

// The reader thread's body: feeds `stdin_data` to `in` (non-blocking; closed when all is
// written or the reader is gone), reads `out` and `err` into `output`, until both reach EOF or
// `stop` hangs up. A byte on `stop` is a flush request (Process::wait_drained): the reader reads
// both pipes until they are empty, then marks the requests made so far as served. SIGPIPE is
// blocked in this thread: a closed stdin is EPIPE.
void drain(std::shared_ptr<Process::Output> output, net::Fd in, std::string stdin_data, net::Fd out,
           net::Fd err, net::Fd stop);

}  // namespace sockspec::target
