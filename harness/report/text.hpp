// Text shared by every reporter: how bytes, names, durations, failures and summaries are shown,
// and how text is escaped for XML, HTML and JSON. The escaping rules live here and nowhere else.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/result.hpp"

namespace sockspec::report {

[[nodiscard]] std::string_view family_name(scenario::Family family);  // "ipv4", "ipv6"

// Lossless C-style escape of arbitrary bytes: printable ASCII is kept except `\` and `"`;
// \0 \t \n \r by name; every other byte (controls, DEL, all bytes >= 0x80) as \xHH.
// The result is pure ASCII, so it is safe in JSON, XML and HTML after their own escaping.
[[nodiscard]] std::string c_escape(std::string_view bytes);

// "00 ff 41": two lowercase hex digits per byte, separated by spaces.
[[nodiscard]] std::string hex_bytes(std::string_view bytes);

// True when at least 3/4 of the bytes are printable ASCII, tab, CR or LF (empty: true).
[[nodiscard]] bool mostly_printable(std::string_view bytes);

// Transcript bytes for people: `"GET /\r\n"` (C-escaped, quoted) when mostly printable, else
// `hex(3): 00 ff 41`; followed by ` ... (N bytes total)` when `shown` is a prefix of `total`.
[[nodiscard]] std::string display_bytes(std::string_view shown, std::uint64_t total);

// Text that should be UTF-8 (reasons, stderr, event text): every byte that is not part of a valid
// UTF-8 sequence becomes the four characters \xHH; the result is valid UTF-8.
[[nodiscard]] std::string utf8_safe(std::string_view text);

// utf8_safe() and also control bytes (except tab and newline) and DEL as \xHH, so the text cannot
// move a terminal's cursor or change its colours.
[[nodiscard]] std::string printable_text(std::string_view text);

// XML 1.0 character data or attribute value (`attribute` also encodes tab, CR and LF as character
// references so they survive attribute normalisation). & < > " ' become entities; bytes XML 1.0
// does not allow (controls other than tab/CR/LF, U+FFFE, U+FFFF, invalid UTF-8) become \xHH text.
[[nodiscard]] std::string xml_escape(std::string_view text, bool attribute = false);
// The same rules; valid in HTML text and in quoted attribute values.
[[nodiscard]] std::string html_escape(std::string_view text);

[[nodiscard]] std::string format_ms(std::chrono::milliseconds d);  // "12 ms"
// "1.23" with `decimals` digits after the point, no unit.
[[nodiscard]] std::string format_seconds(std::chrono::milliseconds d, int decimals);

// "    12.345 ms c > "hello\n"": time since case start, endpoint ("-" when none), > sent,
// < received, * event, then the bytes (display_bytes) or the event text (printable_text).
[[nodiscard]] std::string transcript_line(const engine::TranscriptEntry& entry);

// `word` as one POSIX shell word: unchanged when it has only safe characters (letters, digits and
// @%+=:,./_-), else in single quotes with each ' as '\''.
[[nodiscard]] std::string shell_quote(std::string_view word);

// The command that runs this one case again: "sockspec run conformance/tcp/x.yaml --id str/x
// --target reference-epoll --family ipv6", with the run's --data-root and --strict. Without a
// known way to give its target again (info.target_args), "--target <its name>".
[[nodiscard]] std::string reproduce_command(const engine::RunInfo& info,
                                            const engine::CaseResult& result);

// "STR-3 (MUST): After the client's shutdown(SHUT_WR) ...": each requirement of the case that
// the requirement table knows, with its level and sentence.
[[nodiscard]] std::vector<std::string> requirement_lines(const engine::CaseResult& result);

// The unindented lines that explain a case's verdict: the failure line and its detail, then
// requirement_lines() (or the reason when there is no failure), "transcript:" with at most
// `transcript_max` of the last entries (each indented by two spaces), "target: <command>" and the
// last 5 lines of the target's stderr, each prefixed "stderr: ". Every line is printable_text().
[[nodiscard]] std::vector<std::string> case_detail_lines(const engine::CaseResult& result,
                                                         std::size_t transcript_max);
inline constexpr std::size_t kStderrLines = 5;
// How many of the last transcript entries a failure's explanation shows (console, JUnit).
inline constexpr std::size_t kTranscriptTail = 10;

// "run 3: fail: <failure_line>" (or the reason when there is no failure; "run 1: pass" when
// there is neither), then the failure's detail lines indented by two spaces. Printable text.
[[nodiscard]] std::vector<std::string> run_lines(const engine::RunOutcome& run);

// Why a case is flaky, unindented: for each verdict its runs ended with, the first such run's
// run_lines() (so both sides of a flip are shown with their diagnostics).
[[nodiscard]] std::vector<std::string> flaky_lines(const engine::CaseResult& result);

// "interrupted: 3 passed, 1 failed, 0 skipped, 2 errors in 1.23 s": passed, failed and skipped
// always; non-strict, xfail, xpass, errors and flaky only when not zero; "interrupted: " when it
// was. In stability mode (`info.stability()`) flaky always, and the runs of each case after the
// time: "... 0 flaky in 1.23 s (5 runs of each case)".
[[nodiscard]] std::string summary_line(const engine::Counts& counts,
                                       std::chrono::milliseconds elapsed, bool interrupted,
                                       const engine::RunInfo& info = {});

// How stability mode ran, for run headers: "5 runs of each case, in rounds (--verify)" or
// "200 runs of each case (--repeat)"; empty outside stability mode.
[[nodiscard]] std::string stability_text(const engine::RunInfo& info);

}  // namespace sockspec::report
