// The console reporter: streams a line per finished case, keeps a live line or a heartbeat while
// the run goes on, and ends with the recap and the summary line.
#include "harness/report/console.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

#include "harness/report/console_progress.hpp"
#include "harness/report/console_recap.hpp"
#include "harness/report/console_tty.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kGreen = "32";
constexpr std::string_view kRed = "31";
constexpr std::string_view kYellow = "33";
constexpr std::string_view kCyan = "36";
constexpr std::string_view kEraseLine = "\r\x1b[K";  // to the line's start, then clear it

std::string_view verdict_word(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "PASS";
    case Verdict::fail:
      return "FAIL";
    case Verdict::non_strict:
      return "NON-STRICT";
    case Verdict::xfail:
      return "XFAIL";
    case Verdict::xpass:
      return "XPASS";
    case Verdict::skip:
      return "SKIP";
    case Verdict::error:
      return "ERROR";
    case Verdict::flaky:
      return "FLAKY";
  }
  return "?";
}

std::string_view verdict_colour(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return kGreen;
    case Verdict::non_strict:
      return kYellow;
    case Verdict::skip:
    case Verdict::xfail:
      return kCyan;
    case Verdict::fail:
    case Verdict::xpass:
    case Verdict::error:
    case Verdict::flaky:
      return kRed;
  }
  return kRed;
}

// The verdicts the console explains in detail, and the only ones shown with `quiet`.
bool is_failing(Verdict v) {
  return v == Verdict::fail || v == Verdict::xpass || v == Verdict::non_strict ||
         v == Verdict::error || v == Verdict::flaky;
}

class ConsoleReporter final : public Reporter {
 public:
  ConsoleReporter(std::FILE* out, ConsoleOptions options)
      : out_(out), options_(std::move(options)) {}

  void run_start(const engine::RunInfo& info) override {
    {
      const std::lock_guard lock(mutex_);
      info_ = info;
      progress_.emplace(info, Clock::now());
      last_output_ = Clock::now();
      running_ = true;
      std::string line;
      if (!options_.quiet) {
        line = fmt::format("sockspec: {} cases on {} (-j {}", info.cases,
                           fmt::join(info.targets, ", "), info.jobs);
        if (!info.shard.empty()) line += fmt::format(", shard {}", info.shard);
        if (info.strict) line += ", strict";
        if (info.stability()) {
          line += fmt::format(", {}: {} runs", stability_text(info), info.runs);
        }
        line = printable_text(line + ")") + "\n";
      }
      emit(line);
    }
    ticker_ = std::jthread([this](const std::stop_token& stop) { tick(stop); });
  }

  void case_start(const engine::CaseResult& planned) override {
    const std::lock_guard lock(mutex_);
    if (progress_) progress_->started(planned, Clock::now());
    if (options_.live) emit("");
  }

  void case_deferred(const engine::CaseResult& first_run) override {
    const std::lock_guard lock(mutex_);
    if (progress_) progress_->deferred(first_run);
    if (options_.live) emit("");
  }

  void case_end(const engine::CaseResult& result) override {
    const std::lock_guard lock(mutex_);
    if (!progress_) progress_.emplace(info_, Clock::now());
    progress_->ended(result);
    const bool failing = is_failing(result.verdict);
    if (options_.quiet && !failing) {
      if (options_.live) emit("");
      return;
    }
    emit(case_text(result, failing));
  }

  net::Status run_end(const engine::RunResult& run) override {
    {
      const std::lock_guard lock(mutex_);
      running_ = false;
    }
    ticker_.request_stop();
    if (ticker_.joinable()) ticker_.join();
    const std::lock_guard lock(mutex_);
    const engine::Counts& c = run.counts;
    const bool bad = c.fail > 0 || c.xpass > 0 || c.error > 0 || c.flaky > 0 || run.interrupted;
    emit(recap_text(run) +
         paint(summary_line(c, run.elapsed, run.interrupted, run.info), bad ? kRed : kGreen) +
         "\n");
    if (broken_) return {};
    if (write_failed_ || std::fflush(out_) != 0 || std::ferror(out_) != 0) {
      return net::Error{"write the console output: an I/O error occurred", 0};
    }
    return {};
  }

 private:
  [[nodiscard]] std::string case_text(const engine::CaseResult& result, bool failing) const {
    const std::string_view word = verdict_word(result.verdict);
    const std::string counter = std::to_string(info_.stability() ? info_.runs : info_.cases);
    std::string line = fmt::format("[{:>{}}/{}] {}{} {}", progress_->done(), counter.size(),
                                   counter, paint(word, verdict_colour(result.verdict)),
                                   std::string(word.size() < 5 ? 5 - word.size() : 0, ' '),
                                   printable_text(result.name()));
    if (result.run > 0) line += fmt::format(" run {}/{}", result.run, info_.repeat);
    if (result.verdict != Verdict::skip) line += fmt::format(" ({})", format_ms(result.elapsed));
    const bool reason_on_line = result.verdict == Verdict::skip || result.verdict == Verdict::xfail;
    if (reason_on_line && !result.reason.empty()) {
      line += ": " + printable_text(result.reason);
    }
    line += '\n';
    const std::size_t transcript_max =
        options_.verbose ? std::numeric_limits<std::size_t>::max() : kTranscriptTail;
    if (failing) {
      for (const std::string& detail : case_detail_lines(result, transcript_max)) {
        line += fmt::format("  {}\n", detail);
      }
    } else if (options_.verbose && !result.transcript.empty()) {
      line += "  transcript:\n";
      for (const engine::TranscriptEntry& entry : result.transcript) {
        line += fmt::format("    {}\n", transcript_line(entry));
      }
    }
    return line;
  }

  [[nodiscard]] std::string recap_text(const engine::RunResult& run) const {
    const std::vector<RecapEntry> entries = recap(run);
    if (entries.empty()) return {};
    std::string text = fmt::format("\nRecap: {} {} did not pass cleanly:\n", entries.size(),
                                   entries.size() == 1 ? "case" : "cases");
    for (const RecapEntry& e : entries) {
      text += fmt::format("{} {}\n", paint(verdict_word(e.verdict), verdict_colour(e.verdict)),
                          e.headline);
      for (const std::string& line : e.detail) text += fmt::format("  {}\n", line);
      text += fmt::format("  {}\n", e.reproduce);
    }
    return text;
  }

  [[nodiscard]] std::string paint(std::string_view text, std::string_view colour) const {
    if (!options_.colour) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", colour, text);
  }

  // Writes `text` (whole lines, or nothing) above the live line, which is redrawn after it while
  // the run goes on. Called with `mutex_` held.
  void emit(std::string_view text) {
    if (broken_) return;
    std::string out;
    if (live_shown_) out = kEraseLine;
    out += text;
    live_shown_ = options_.live && running_ && progress_;
    if (live_shown_) {
      const std::size_t width = options_.width != 0 ? options_.width : terminal_width(out_);
      out += progress_->live_line(Clock::now(), width);
    }
    if (!text.empty()) last_output_ = Clock::now();
    if (!out.empty()) put(out);
  }

  // Writes and flushes (streamed: a user watching a slow run sees each case as it ends).
  // EPIPE: the reader went away; anything else is reported by run_end.
  void put(std::string_view text) {
    errno = 0;
    const bool written =
        std::fwrite(text.data(), 1, text.size(), out_) == text.size() && std::fflush(out_) == 0;
    if (written) return;
    if (errno != EPIPE) {
      write_failed_ = true;
      return;
    }
    broken_ = true;
    if (options_.on_broken) options_.on_broken();
  }

  // The reporter's thread while the run goes on: redraws the live line, or prints heartbeats.
  void tick(const std::stop_token& stop) {
    using std::chrono::milliseconds;
    const milliseconds redraw = std::max(options_.redraw, milliseconds(1));
    const milliseconds heartbeat = std::max(options_.heartbeat, milliseconds(1));
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested() && !broken_ && running_) {
      const Clock::time_point now = Clock::now();
      Clock::time_point next = now + redraw;
      if (options_.live) {
        emit("");
      } else {
        if (now - last_output_ >= heartbeat) {
          emit(progress_->heartbeat_line(now) + "\n");
        }
        next = last_output_ + heartbeat;
      }
      (void)ready_.wait_until(lock, stop, next, [] { return false; });
    }
  }

  std::FILE* out_;
  const ConsoleOptions options_;
  std::mutex mutex_;                   // guards everything below and the writes to out_
  std::condition_variable_any ready_;  // the ticker's sleep, cut short by request_stop()
  engine::RunInfo info_;
  std::optional<Progress> progress_;
  Clock::time_point last_output_;
  bool running_ = false;     // between run_start and run_end
  bool live_shown_ = false;  // the live line is on screen, after the last output
  bool broken_ = false;      // EPIPE: nothing more is written
  bool write_failed_ = false;
  std::jthread ticker_;  // last: stopped and joined first
};

}  // namespace

std::unique_ptr<Reporter> make_console_reporter(std::FILE* out, ConsoleOptions options) {
  return std::make_unique<ConsoleReporter>(out, std::move(options));
}

}  // namespace sockspec::report
