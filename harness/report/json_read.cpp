// The JSON report read back: every field to_json() writes, checked for its type as it is read.
#include "harness/report/json_read.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "harness/report/json.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;
using nlohmann::json;

// What is wrong and where, as "cases[3].verdict: expected a string": unwinds the reading to
// from_json(), which turns it into the error.
struct BadReport {
  std::string message;
};

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw BadReport{where + ": " + what};
}

// Member `key` of object `obj` (at `where`), of `type`: string, boolean, number_unsigned (an
// integer >= 0), array or object. Absent or of another type is an error.
const json& member(const json& obj, const std::string& where, const char* key, json::value_t type) {
  const std::string at = where.empty() ? key : where + "." + key;
  const auto it = obj.find(key);
  if (it == obj.end()) bad(at, "missing");
  const bool ok = type == json::value_t::number_unsigned
                      ? it->is_number_unsigned() || (it->is_number_integer() && *it >= 0)
                      : it->type() == type;
  if (!ok) {
    static constexpr std::array<std::pair<json::value_t, const char*>, 5> kNames{
        {{json::value_t::string, "a string"},
         {json::value_t::boolean, "true or false"},
         {json::value_t::number_unsigned, "a number >= 0"},
         {json::value_t::array, "an array"},
         {json::value_t::object, "an object"}}};
    for (const auto& [t, name] : kNames) {
      if (t == type) bad(at, std::string("expected ") + name);
    }
  }
  return *it;
}

std::string str(const json& obj, const std::string& where, const char* key) {
  return member(obj, where, key, json::value_t::string).get<std::string>();
}
std::uint64_t uint(const json& obj, const std::string& where, const char* key) {
  return member(obj, where, key, json::value_t::number_unsigned).get<std::uint64_t>();
}
bool boolean(const json& obj, const std::string& where, const char* key) {
  return member(obj, where, key, json::value_t::boolean).get<bool>();
}
std::chrono::milliseconds ms(const json& obj, const std::string& where, const char* key) {
  return std::chrono::milliseconds(uint(obj, where, key));
}
const json& array(const json& obj, const std::string& where, const char* key) {
  return member(obj, where, key, json::value_t::array);
}
// The element `i` of `key`'s array, as "cases[3]".
std::string index(const std::string& where, const char* key, std::size_t i) {
  return fmt::format("{}{}{}[{}]", where, where.empty() ? "" : ".", key, i);
}

std::vector<std::string> strings(const json& obj, const std::string& where, const char* key) {
  std::vector<std::string> out;
  const json& values = array(obj, where, key);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_string()) bad(index(where, key, i), "expected a string");
    out.push_back(values[i].get<std::string>());
  }
  return out;
}

Verdict verdict(const json& obj, const std::string& where) {
  const std::string name = str(obj, where, "verdict");
  for (const Verdict v : {Verdict::pass, Verdict::fail, Verdict::non_strict, Verdict::xfail,
                          Verdict::xpass, Verdict::skip, Verdict::error, Verdict::flaky}) {
    if (verdict_name(v) == name) return v;
  }
  bad(where + ".verdict", fmt::format("unknown verdict \"{}\"", name));
}

std::optional<std::string> optional_string(const json& obj, const std::string& where,
                                           const char* key) {
  const auto it = obj.find(key);
  if (it != obj.end() && it->is_null()) return std::nullopt;
  return str(obj, where, key);
}

std::optional<engine::Failure> failure(const json& obj, const std::string& where) {
  const auto it = obj.find("failure");
  if (it != obj.end() && it->is_null()) return std::nullopt;
  const std::string at = where + ".failure";
  const json& f = member(obj, where, "failure", json::value_t::object);
  return engine::Failure{{str(f, at, "file"), static_cast<int>(uint(f, at, "line")),
                          static_cast<int>(uint(f, at, "column"))},
                         str(f, at, "step"),
                         str(f, at, "expected"),
                         str(f, at, "observed"),
                         str(f, at, "detail")};
}

// The bytes of c_escape(): its escapes (\\ \" \0 \t \n \r \xHH) undone.
std::string c_unescape(std::string_view text, const std::string& where) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (++i == text.size()) bad(where, "a lone \\ at the end");
    switch (text[i]) {
      case '\\':
      case '"':
        out += text[i];
        break;
      case '0':
        out += '\0';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'x': {
        unsigned value = 0;
        const std::string digits(text.substr(i + 1, 2));
        std::size_t used = 0;
        if (digits.size() == 2) value = static_cast<unsigned>(std::stoul(digits, &used, 16));
        if (used != 2 || digits.find_first_of("+- ") != std::string::npos) {
          bad(where, "a \\x escape without two hex digits");
        }
        out += static_cast<char>(value);
        i += 2;
        break;
      }
      default:
        bad(where, fmt::format("unknown escape \\{}", text[i]));
    }
  }
  return out;
}

engine::TranscriptEntry transcript_entry(const json& e, const std::string& at) {
  using Kind = engine::TranscriptEntry::Kind;
  engine::TranscriptEntry entry;
  entry.at = std::chrono::microseconds(uint(e, at, "at_us"));
  const std::string kind = str(e, at, "kind");
  if (kind == "sent") {
    entry.kind = Kind::sent;
  } else if (kind == "received") {
    entry.kind = Kind::received;
  } else if (kind == "event") {
    entry.kind = Kind::event;
  } else {
    bad(at + ".kind", fmt::format("unknown kind \"{}\"", kind));
  }
  entry.endpoint = str(e, at, "endpoint");
  entry.text = str(e, at, "text");
  if (entry.kind != Kind::event) entry.text = c_unescape(entry.text, at + ".text");
  entry.bytes_total = uint(e, at, "bytes_total");
  return entry;
}

engine::CaseResult case_result(const json& c, const std::string& at) {
  engine::CaseResult r;
  r.scenario_id = str(c, at, "scenario_id");
  r.summary = str(c, at, "summary");
  r.file = str(c, at, "file");
  r.form = str(c, at, "form");
  r.requirements = strings(c, at, "requirements");
  r.tags = strings(c, at, "tags");
  r.target = str(c, at, "target");
  const std::string family = str(c, at, "family");
  if (family != "ipv4" && family != "ipv6") {
    bad(at + ".family", fmt::format("unknown family \"{}\"", family));
  }
  r.family = family == "ipv6" ? scenario::Family::ipv6 : scenario::Family::ipv4;
  r.verdict = verdict(c, at);
  r.reason = str(c, at, "reason");
  r.failure = failure(c, at);
  const json& transcript = array(c, at, "transcript");
  for (std::size_t i = 0; i < transcript.size(); ++i) {
    r.transcript.push_back(transcript_entry(transcript[i], index(at, "transcript", i)));
  }
  r.command = str(c, at, "command");
  r.stderr_tail = str(c, at, "stderr_tail");
  r.elapsed = ms(c, at, "elapsed_ms");
  const auto start = c.find("target_start_ms");
  if (start == c.end()) bad(at + ".target_start_ms", "missing");
  if (!start->is_null()) {
    if (!start->is_number()) bad(at + ".target_start_ms", "expected a number or null");
    r.target_start = std::chrono::microseconds(std::llround(start->get<double>() * 1000.0));
  }
  r.first_run = optional_string(c, at, "first_run");
  r.run = static_cast<unsigned>(uint(c, at, "run"));
  const json& runs = array(c, at, "runs");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string run_at = index(at, "runs", i);
    r.runs.push_back(engine::RunOutcome{static_cast<unsigned>(uint(runs[i], run_at, "run")),
                                        verdict(runs[i], run_at), str(runs[i], run_at, "reason"),
                                        failure(runs[i], run_at), ms(runs[i], run_at, "elapsed_ms"),
                                        optional_string(runs[i], run_at, "first_run")});
  }
  return r;
}

engine::RunInfo run_info(const json& run) {
  const std::string at = "run";
  engine::RunInfo info;
  info.version = str(run, at, "version");
  info.pack = optional_string(run, at, "pack").value_or("");
  info.targets = strings(run, at, "targets");
  info.target_args = strings(run, at, "target_args");
  info.data_root_args = str(run, at, "data_root_args");
  info.cases = uint(run, at, "cases");
  info.jobs = static_cast<unsigned>(uint(run, at, "jobs"));
  info.shard = str(run, at, "shard");
  info.strict = boolean(run, at, "strict");
  info.started_at = str(run, at, "started_at");
  info.repeat = static_cast<unsigned>(uint(run, at, "repeat"));
  info.verify = boolean(run, at, "verify");
  info.runs = uint(run, at, "runs");
  return info;
}

std::vector<engine::RequirementNote> requirement_notes(const json& doc) {
  std::vector<engine::RequirementNote> notes;
  const json& all = array(doc, "", "requirements");
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string at = index("", "requirements", i);
    const std::string level = str(all[i], at, "level");
    if (level != "MUST" && level != "SHOULD") {
      bad(at + ".level", fmt::format("unknown level \"{}\"", level));
    }
    notes.push_back({str(all[i], at, "id"),
                     level == "SHOULD" ? scenario::Level::should : scenario::Level::must,
                     str(all[i], at, "text")});
  }
  return notes;
}

engine::RunResult run_result(const json& doc) {
  if (!doc.is_object() || !doc.contains("sockspec")) {
    throw BadReport{"not a sockspec JSON report (no \"sockspec\" key)"};
  }
  const std::uint64_t version = uint(doc, "", "sockspec");
  if (version != kJsonVersion) {
    throw BadReport{
        fmt::format("layout version {}, this sockspec reads {}", version, kJsonVersion)};
  }
  engine::RunResult result;
  const json& run = member(doc, "", "run", json::value_t::object);
  result.info = run_info(run);
  result.elapsed = ms(run, "run", "elapsed_ms");
  result.interrupted = boolean(run, "run", "interrupted");
  result.info.requirements = requirement_notes(doc);
  const json& cases = array(doc, "", "cases");
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string at = index("", "cases", i);
    if (!cases[i].is_object()) bad(at, "expected an object");
    result.cases.push_back(case_result(cases[i], at));
    result.counts.add(result.cases.back().verdict);
  }
  return result;
}

// "3:14": the line and column of byte `offset` of `text` (both 1-based).
std::string line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("{}:{}", line, column);
}

}  // namespace

net::Result<engine::RunResult> from_json(const nlohmann::json& doc) {
  try {
    return run_result(doc);
  } catch (const BadReport& e) {
    return net::Error{e.message};
  }
}

net::Result<engine::RunResult> read_json_report(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return net::errno_error(errno, path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return net::errno_error(errno, path);
  const std::string content = std::move(text).str();
  json doc;
  try {
    doc = json::parse(content);
  } catch (const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    std::string what = e.what();
    if (const auto colon = what.find(": "); colon != std::string::npos) what.erase(0, colon + 2);
    // The byte after the error is e.byte (1-based).
    return net::Error{fmt::format("{}:{}: invalid JSON: {}", path,
                                  line_column(content, e.byte == 0 ? 0 : e.byte - 1), what)};
  }
  net::Result<engine::RunResult> run = from_json(doc);
  if (!run) return net::Error{path + ": " + run.error().message};
  return run;
}

}  // namespace sockspec::report
