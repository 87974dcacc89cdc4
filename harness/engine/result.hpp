// What a run produces, case by case: verdicts, failures with their step's location, transcripts.
// Reporters (harness/report) read these; the engine fills them in.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/model.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::engine {

// docs/architecture.md's verdicts; `flaky` only in stability mode (--repeat, --verify): the runs of
// a case ended with different verdicts (runner.hpp).
enum class Verdict { pass, fail, non_strict, xfail, xpass, skip, error, flaky };
[[nodiscard]] std::string_view verdict_name(Verdict v);  // "pass", "non-strict", ...

// One line of a transcript: something sent, received or observed, at a time since case start.
struct TranscriptEntry {
  enum class Kind { sent, received, event };
  std::chrono::microseconds at{0};
  Kind kind = Kind::event;
  std::string endpoint;  // "c", "u", "client 3/c", "target"; empty for case-level events
  std::string text;      // event text, or the bytes (see `bytes_total`)
  // Sends/receives: the bytes moved in total; `text` holds at most the first kTranscriptBytes of
  // them (the reporter prints them escaped or as hex).
  std::uint64_t bytes_total = 0;
};
inline constexpr std::size_t kTranscriptBytes = 64;
inline constexpr std::size_t kTranscriptEntries = 200;  // then only the last ones are kept

// Why a case did not pass: the step, where it was written, what was expected and what was seen.
struct Failure {
  scenario::SourceLocation where;  // file:line:col of the step
  std::string step;                // "expect", "expect-eof"
  std::string expected;            // "bytes equal to the 1048576 sent (sha256 ...)"
  std::string observed;            // "EOF after 1024 bytes"
  std::string detail;              // e.g. the target's death: "killed by SIGSEGV; stderr: ..."
};

// The failure on one line, as the case's reason and every report say it:
// "conformance/tcp/str/echo.yaml:12:5: expect: expected X; observed Y".
[[nodiscard]] std::string failure_line(const Failure& f);
// The same without the expectation (it is in the scenario), where a line must stay short:
// "conformance/tcp/str/echo.yaml:12:5: expect: observed Y".
[[nodiscard]] std::string failure_line_observed(const Failure& f);

// One run of a case in stability mode: its verdict and diagnostic.
struct RunOutcome {
  unsigned run = 0;  // 1-based
  Verdict verdict = Verdict::pass;
  std::string reason;
  std::optional<Failure> failure{};
  std::chrono::milliseconds elapsed{0};
  std::optional<std::string> first_run{};  // as CaseResult::first_run
};

// One case = one scenario × one target × one address family.
struct CaseResult {
  std::string scenario_id;
  std::string summary;
  std::string file;  // the scenario file
  std::vector<std::string> requirements;
  std::vector<std::string> tags;
  std::string form;    // how it talked to the target: "exchange", "echo", "line"... (form_of)
  std::string target;  // the profile's name
  scenario::Family family = scenario::Family::ipv4;
  Verdict verdict = Verdict::pass;
  std::string reason;  // skip/xfail/xpass/error: why; fail: a one-line summary of `failure`
  std::optional<Failure> failure{};
  std::vector<TranscriptEntry> transcript{};
  std::string command;      // the target's command line, to reproduce by hand
  std::string stderr_tail;  // of the target, when it failed or erred
  std::chrono::milliseconds elapsed{0};
  // How long the case is expected to take, as the runner's schedule expects it (its shortest
  // earlier run, at least its own waits; 0 when unknown, a skip or an error): set from case_start
  // on, for the console's progress and ETA.
  std::chrono::milliseconds expected{0};
  // From starting the target to its readiness, when the case started one (not shared, not a
  // client, not `--connect`).
  std::optional<std::chrono::microseconds> target_start{};
  // Set when this is a rerun alone (runner.hpp): the first run's verdict and reason, as
  // "fail: <reason>".
  std::optional<std::string> first_run{};
  // Stability mode: the run of the case this result is (1-based; 0 outside stability mode)...
  unsigned run = 0;
  // ...and, in the run's merged result (RunResult::cases), every run of the case in run order.
  std::vector<RunOutcome> runs{};
  // "str/echo-segmented [reference-epoll, ipv6]"
  [[nodiscard]] std::string name() const;
};

struct Counts {
  std::uint32_t pass = 0, fail = 0, non_strict = 0, xfail = 0, xpass = 0, skip = 0, error = 0,
                flaky = 0;
  void add(Verdict v);
  [[nodiscard]] std::uint32_t total() const;
};

// A requirement as the pack that ran declared it: what a report read back (report merge) knows of
// a requirement without that pack.
struct RequirementNote {
  std::string id;  // "STR-1", "MYPROTO-1"
  scenario::Level level = scenario::Level::must;
  std::string text;  // the requirement's sentence; may be empty
};

struct RunInfo {
  std::vector<std::string> targets;  // profile names, in order
  // For each of `targets`, the `sockspec run` arguments that give that target again, shell-quoted
  // ("--target reference-epoll", "--cmd './srv {port}' --service echo"); empty when unknown.
  std::vector<std::string> target_args{};
  // The --data-root arguments of the run, shell-quoted ("--data-root /srv/data"), or empty.
  std::string data_root_args{};
  std::string version{};  // the tool's version, "0.1.0"
  std::string pack{};     // the revision of the scenarios loaded (cli/pack.hpp: paths_revision)
  std::size_t cases = 0;  // planned
  unsigned jobs = 1;
  std::string shard;  // "2/4", or empty
  bool strict = false;
  std::string started_at;  // RFC 3339 UTC
  // Stability mode (runner.hpp): each case runs `repeat` times, in rounds of the whole selection
  // (`verify`) or all in one pass (--repeat); `runs` is the number of case runs planned.
  unsigned repeat = 1;
  bool verify = false;
  std::size_t runs = 0;
  // The planned case runs' CaseResult::expected, summed (runner.hpp: planned_time): for the ETA.
  std::chrono::milliseconds expected{0};
  // The requirements of the cases, when the run was read back from a report; empty in a live
  // run, whose reporters look requirements up in the pack (report/requirement_note.hpp).
  std::vector<RequirementNote> requirements{};
  [[nodiscard]] bool stability() const { return repeat > 1 || verify; }
};

struct RunResult {
  RunInfo info;
  std::vector<CaseResult> cases;  // in plan order (not completion order)
  Counts counts;
  std::chrono::milliseconds elapsed{0};
  bool interrupted = false;  // Ctrl-C: `cases` holds what finished
};

}  // namespace sockspec::engine
