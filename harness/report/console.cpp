// The console reporter: streams a line per finished case and ends with the summary line.
#include "harness/report/console.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;

constexpr std::string_view kGreen = "32";
constexpr std::string_view kRed = "31";
constexpr std::string_view kYellow = "33";
constexpr std::string_view kCyan = "36";

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
  ConsoleReporter(std::FILE* out, ConsoleOptions options) : out_(out), options_(options) {}

  void run_start(const engine::RunInfo& info) override {
    info_ = info;
    planned_ = info.stability() ? info.runs : info.cases;
    done_ = 0;
    if (options_.quiet) return;
    std::string line = fmt::format("sockspec: {} cases on {} (-j {}", info.cases,
                                   fmt::join(info.targets, ", "), info.jobs);
    if (!info.shard.empty()) line += fmt::format(", shard {}", info.shard);
    if (info.strict) line += ", strict";
    if (info.stability()) line += fmt::format(", {}: {} runs", stability_text(info), info.runs);
    line += ")\n";
    write(printable_text(line.substr(0, line.size() - 1)) + "\n");
  }

  void case_start(const engine::CaseResult& /*planned*/) override {}

  void case_end(const engine::CaseResult& result) override {
    ++done_;
    const bool failing = is_failing(result.verdict);
    if (options_.quiet && !failing) return;
    const std::string_view word = verdict_word(result.verdict);
    const std::string counter = std::to_string(planned_);
    std::string line = fmt::format("[{:>{}}/{}] {}{} {}", done_, counter.size(), counter,
                                   paint(word, verdict_colour(result.verdict)),
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
    write(line);
  }

  net::Status run_end(const engine::RunResult& run) override {
    const engine::Counts& c = run.counts;
    std::string flaky;
    for (const engine::CaseResult& r : run.cases) {
      if (r.verdict != Verdict::flaky) continue;
      flaky += fmt::format("{} {}: {}\n", paint("FLAKY", kRed), printable_text(r.name()),
                           printable_text(r.reason));
      for (const std::string& detail : flaky_lines(r)) flaky += fmt::format("  {}\n", detail);
    }
    const bool bad = c.fail > 0 || c.xpass > 0 || c.error > 0 || c.flaky > 0 || run.interrupted;
    write(flaky +
          paint(summary_line(c, run.elapsed, run.interrupted, run.info), bad ? kRed : kGreen) +
          "\n");
    if (std::fflush(out_) != 0 || std::ferror(out_) != 0) {
      return net::Error{"write the console output: an I/O error occurred", 0};
    }
    return {};
  }

 private:
  [[nodiscard]] std::string paint(std::string_view text, std::string_view colour) const {
    if (!options_.colour) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", colour, text);
  }

  void write(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);  // streamed: a user watching a slow run sees each case as it ends
  }

  std::FILE* out_;
  ConsoleOptions options_;
  engine::RunInfo info_;
  std::size_t planned_ = 0;
  std::size_t done_ = 0;
};

}  // namespace

bool console_colour(std::FILE* out) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return ::isatty(::fileno(out)) == 1;
}

std::unique_ptr<Reporter> make_console_reporter(std::FILE* out, ConsoleOptions options) {
  return std::make_unique<ConsoleReporter>(out, options);
}

}  // namespace sockspec::report
