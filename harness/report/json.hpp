// The JSON report: the whole run as one document, also embedded in the HTML page.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "harness/report/reporter.hpp"

namespace sockspec::report {

// Version of the document's layout, the value of its "sockspec" key.
inline constexpr int kJsonVersion = 1;

// {"sockspec": 1, "run": {version, targets, target_args, data_root_args, cases, jobs, shard,
//  strict, started_at, elapsed_ms, interrupted, repeat, verify, runs, counts: {"pass": n,
//  "fail": n, "non-strict": n, ..., "flaky": n, "total": n}},
//  "requirements": [{id, level: "MUST"|"SHOULD", text}],
//  "cases": [{scenario_id, name, summary, file, form, requirements, tags, target, family,
//             verdict, reason,
//             failure: null | {file, line, column, step, expected, observed, detail},
//             transcript: [{at_us, kind: "sent"|"received"|"event", endpoint, text,
//                           bytes_total}], command, stderr_tail, elapsed_ms, target_start_ms,
//             first_run, run, flaky: bool,
//             runs: [{run, verdict, reason, failure, elapsed_ms, first_run}]}]}
// The run's fields are RunInfo's ("cases" is the number planned); "requirements" holds each
// requirement the cases name, as the pack that ran declared it (requirement_note()), so that a
// report read back (json_read.hpp) is complete without that pack.
// "runs" is empty outside stability mode (--repeat, --verify); there it holds every run of the
// case, and a case whose runs differ has verdict "flaky" and "flaky": true (its failure,
// transcript and stderr are those of its odd run out; each run's diagnostic is in "runs").
// Bytes that were sent or received are in "text" as c_escape() of them: pure ASCII, lossless.
// Every other string is utf8_safe(): valid UTF-8 kept, stray bytes as the text \xHH.
[[nodiscard]] nlohmann::json to_json(const engine::RunResult& run);

// Writes to_json() to `path` at run_end (write_file_atomically: "-" is stdout; an error names
// the path).
[[nodiscard]] std::unique_ptr<Reporter> make_json_reporter(std::string path);

}  // namespace sockspec::report
