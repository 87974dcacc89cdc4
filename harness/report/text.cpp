// How bytes, durations, failures and summaries are shown, and the escaping rules of every format.
#include "harness/report/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "harness/engine/stability.hpp"
#include "harness/scenario/requirements.hpp"

namespace sockspec::report {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

void append_hex_escape(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHexDigits[c >> 4U];
  out += kHexDigits[c & 0xfU];
}

// The length of the valid UTF-8 sequence that starts at s[i], or 0 when none starts there
// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated sequence).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c == 0xe0) {
    n = 3;
    lo = 0xa0;
  } else if (c == 0xed) {
    n = 3;
    hi = 0x9f;  // U+D800..U+DFFF are surrogates
  } else if (c >= 0xe1 && c <= 0xef) {
    n = 3;
  } else if (c == 0xf0) {
    n = 4;
    lo = 0x90;
  } else if (c >= 0xf1 && c <= 0xf3) {
    n = 4;
  } else if (c == 0xf4) {
    n = 4;
    hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return n;
}

enum class Mode { utf8, printable, xml_text, xml_attribute };

// One pass for utf8_safe, printable_text and xml_escape: see their contracts in text.hpp.
std::string escape_text(std::string_view text, Mode mode) {
  const bool markup = mode == Mode::xml_text || mode == Mode::xml_attribute;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      append_hex_escape(out, c);
      ++i;
      continue;
    }
    if (n > 1) {
      const std::string_view seq = text.substr(i, n);
      if (markup && (seq == "\xef\xbf\xbe" || seq == "\xef\xbf\xbf")) {  // U+FFFE, U+FFFF
        for (char b : seq) append_hex_escape(out, static_cast<unsigned char>(b));
      } else {
        out += seq;
      }
      i += n;
      continue;
    }
    ++i;
    if (markup) {
      switch (c) {
        case '&':
          out += "&amp;";
          continue;
        case '<':
          out += "&lt;";
          continue;
        case '>':
          out += "&gt;";
          continue;
        case '"':
          out += "&quot;";
          continue;
        case '\'':
          out += "&#39;";
          continue;
        case '\r':
          out += "&#13;";
          continue;
        case '\t':
        case '\n':
          if (mode == Mode::xml_attribute) {
            out += c == '\t' ? "&#9;" : "&#10;";
          } else {
            out += static_cast<char>(c);
          }
          continue;
        default:
          break;
      }
    }
    const bool control = c < 0x20 || c == 0x7f;
    if (!control || mode == Mode::utf8 || c == '\t') {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      append_hex_escape(out, c);
    }
  }
  return out;
}

// The lines of `text` without their terminators; no empty last line for a final newline.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

std::string_view family_name(scenario::Family family) {
  return family == scenario::Family::ipv6 ? "ipv6" : "ipv4";
}

std::string c_escape(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += ch;
        } else {
          append_hex_escape(out, c);
        }
    }
  }
  return out;
}

std::string hex_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (!out.empty()) out += ' ';
    out += kHexDigits[c >> 4U];
    out += kHexDigits[c & 0xfU];
  }
  return out;
}

bool mostly_printable(std::string_view bytes) {
  const auto printable = std::count_if(bytes.begin(), bytes.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' || c == '\n';
  });
  return static_cast<std::size_t>(printable) * 4 >= bytes.size() * 3;
}

std::string display_bytes(std::string_view shown, std::uint64_t total) {
  std::string out = mostly_printable(shown)
                        ? fmt::format("\"{}\"", c_escape(shown))
                        : fmt::format("hex({}): {}", shown.size(), hex_bytes(shown));
  if (total > shown.size()) out += fmt::format(" ... ({} bytes total)", total);
  return out;
}

std::string utf8_safe(std::string_view text) {
  return escape_text(text, Mode::utf8);
}

std::string printable_text(std::string_view text) {
  return escape_text(text, Mode::printable);
}

std::string xml_escape(std::string_view text, bool attribute) {
  return escape_text(text, attribute ? Mode::xml_attribute : Mode::xml_text);
}

std::string html_escape(std::string_view text) {
  return escape_text(text, Mode::xml_text);
}

std::string format_ms(std::chrono::milliseconds d) {
  return fmt::format("{} ms", d.count());
}

std::string format_seconds(std::chrono::milliseconds d, int decimals) {
  return fmt::format("{:.{}f}", static_cast<double>(d.count()) / 1000.0, decimals);
}

std::string transcript_line(const engine::TranscriptEntry& entry) {
  using Kind = engine::TranscriptEntry::Kind;
  const double ms = static_cast<double>(entry.at.count()) / 1000.0;
  std::string_view endpoint = entry.endpoint;
  if (endpoint.empty()) endpoint = "-";
  if (entry.kind == Kind::event) {
    return fmt::format("{:>10.3f} ms {} * {}", ms, printable_text(endpoint),
                       printable_text(entry.text));
  }
  return fmt::format("{:>10.3f} ms {} {} {}", ms, printable_text(endpoint),
                     entry.kind == Kind::sent ? '>' : '<',
                     display_bytes(entry.text, entry.bytes_total));
}

std::string shell_quote(std::string_view word) {
  const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
  });
  if (safe) return std::string(word);
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string reproduce_command(const engine::RunInfo& info, const engine::CaseResult& result) {
  std::string target;
  for (std::size_t i = 0; i < info.targets.size(); ++i) {
    if (info.targets[i] == result.target && i < info.target_args.size()) {
      target = info.target_args[i];
    }
  }
  if (target.empty()) target = "--target " + shell_quote(result.target);
  std::string command =
      fmt::format("sockspec run {} --id {} {} --family {}", shell_quote(result.file),
                  shell_quote(result.scenario_id), target, family_name(result.family));
  if (!info.data_root_args.empty()) command += " " + info.data_root_args;
  if (info.strict) command += " --strict";
  return command;
}

std::vector<std::string> requirement_lines(const engine::CaseResult& result) {
  std::vector<std::string> lines;
  for (const std::string& id : result.requirements) {
    const scenario::RequirementInfo* info = scenario::find_requirement(id);
    if (info == nullptr || info->text.empty()) continue;
    lines.push_back(fmt::format(
        "{} ({}): {}", id, info->level == scenario::Level::must ? "MUST" : "SHOULD", info->text));
  }
  return lines;
}

std::vector<std::string> case_detail_lines(const engine::CaseResult& result,
                                           std::size_t transcript_max) {
  std::vector<std::string> lines;
  auto add_text = [&](std::string_view text, std::string_view prefix) {
    for (std::string_view line : split_lines(text)) {
      lines.push_back(fmt::format("{}{}", prefix, printable_text(line)));
    }
  };
  if (result.failure) {
    add_text(engine::failure_line(*result.failure), "");
    add_text(result.failure->detail, "");
    for (const std::string& line : requirement_lines(result)) add_text(line, "");
  } else {
    add_text(result.reason, "");
  }
  const std::size_t entries = result.transcript.size();
  if (entries > 0 && transcript_max > 0) {
    const std::size_t first = entries > transcript_max ? entries - transcript_max : 0;
    lines.push_back(
        first > 0 ? fmt::format("transcript (last {} of {} entries):", entries - first, entries)
                  : std::string("transcript:"));
    for (std::size_t i = first; i < entries; ++i) {
      lines.push_back("  " + transcript_line(result.transcript[i]));
    }
  }
  if (!result.command.empty()) add_text(result.command, "target: ");
  std::vector<std::string_view> err = split_lines(result.stderr_tail);
  while (!err.empty() && err.back().empty()) err.pop_back();
  const std::size_t skip = err.size() > kStderrLines ? err.size() - kStderrLines : 0;
  for (std::size_t i = skip; i < err.size(); ++i) {
    lines.push_back(fmt::format("stderr: {}", printable_text(err[i])));
  }
  return lines;
}

std::vector<std::string> run_lines(const engine::RunOutcome& run) {
  const std::string_view verdict = engine::verdict_name(run.verdict);
  std::string head = fmt::format("run {}: {}", run.run, verdict);
  if (run.failure) {
    head += ": " + engine::failure_line(*run.failure);
  } else if (!run.reason.empty()) {
    head += ": " + run.reason;
  }
  std::vector<std::string> lines;
  for (std::string_view line : split_lines(head)) lines.push_back(printable_text(line));
  if (run.failure) {
    for (std::string_view line : split_lines(run.failure->detail)) {
      lines.push_back("  " + printable_text(line));
    }
  }
  return lines;
}

std::vector<std::string> flaky_lines(const engine::CaseResult& result) {
  std::vector<std::string> lines;
  for (const engine::RunOutcome* first : engine::first_of_each_verdict(result.runs)) {
    std::vector<std::string> more = run_lines(*first);
    lines.insert(lines.end(), more.begin(), more.end());
  }
  return lines;
}

std::string stability_text(const engine::RunInfo& info) {
  if (!info.stability()) return {};
  return info.verify ? fmt::format("{} runs of each case, in rounds (--verify)", info.repeat)
                     : fmt::format("{} runs of each case (--repeat)", info.repeat);
}

std::string summary_line(const engine::Counts& counts, std::chrono::milliseconds elapsed,
                         bool interrupted, const engine::RunInfo& info) {
  std::string out = interrupted ? "interrupted: " : "";
  out += fmt::format("{} passed, {} failed, {} skipped", counts.pass, counts.fail, counts.skip);
  if (counts.non_strict > 0) out += fmt::format(", {} non-strict", counts.non_strict);
  if (counts.xfail > 0) out += fmt::format(", {} xfail", counts.xfail);
  if (counts.xpass > 0) out += fmt::format(", {} xpass", counts.xpass);
  if (counts.error > 0) out += fmt::format(", {} errors", counts.error);
  if (counts.flaky > 0 || info.stability()) out += fmt::format(", {} flaky", counts.flaky);
  out += fmt::format(" in {} s", format_seconds(elapsed, 2));
  if (info.stability()) out += fmt::format(" ({} runs of each case)", info.repeat);
  return out;
}

}  // namespace sockspec::report
