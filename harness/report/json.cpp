// The JSON report: RunResult -> nlohmann::json, written at run end.
#include "harness/report/json.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "harness/report/file_output.hpp"
#include "harness/report/requirement_note.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using nlohmann::json;

std::string_view kind_name(engine::TranscriptEntry::Kind kind) {
  switch (kind) {
    case engine::TranscriptEntry::Kind::sent:
      return "sent";
    case engine::TranscriptEntry::Kind::received:
      return "received";
    case engine::TranscriptEntry::Kind::event:
      return "event";
  }
  return "event";
}

json strings(const std::vector<std::string>& values) {
  json out = json::array();
  for (const std::string& v : values) out.push_back(utf8_safe(v));
  return out;
}

json counts_json(const engine::Counts& c) {
  using engine::Verdict;
  return json{{verdict_name(Verdict::pass), c.pass},
              {verdict_name(Verdict::fail), c.fail},
              {verdict_name(Verdict::non_strict), c.non_strict},
              {verdict_name(Verdict::xfail), c.xfail},
              {verdict_name(Verdict::xpass), c.xpass},
              {verdict_name(Verdict::skip), c.skip},
              {verdict_name(Verdict::error), c.error},
              {verdict_name(Verdict::flaky), c.flaky},
              {"total", c.total()}};
}

json entry_json(const engine::TranscriptEntry& e) {
  const bool bytes = e.kind != engine::TranscriptEntry::Kind::event;
  return json{{"at_us", e.at.count()},
              {"kind", kind_name(e.kind)},
              {"endpoint", utf8_safe(e.endpoint)},
              {"text", bytes ? c_escape(e.text) : utf8_safe(e.text)},
              {"bytes_total", e.bytes_total}};
}

// Milliseconds with microseconds as decimals, or null when the case started no target.
json target_start_ms(const engine::CaseResult& r) {
  if (!r.target_start) return nullptr;
  return static_cast<double>(r.target_start->count()) / 1000.0;
}

json failure_json(const std::optional<engine::Failure>& failure) {
  if (!failure) return nullptr;
  const engine::Failure& f = *failure;
  return json{{"file", utf8_safe(f.where.file)},   {"line", f.where.line},
              {"column", f.where.column},          {"step", utf8_safe(f.step)},
              {"expected", utf8_safe(f.expected)}, {"observed", utf8_safe(f.observed)},
              {"detail", utf8_safe(f.detail)}};
}

json first_run_json(const std::optional<std::string>& first_run) {
  return first_run ? json(utf8_safe(*first_run)) : json(nullptr);
}

json runs_json(const std::vector<engine::RunOutcome>& runs) {
  json out = json::array();
  for (const engine::RunOutcome& r : runs) {
    out.push_back(json{{"run", r.run},
                       {"verdict", verdict_name(r.verdict)},
                       {"reason", utf8_safe(r.reason)},
                       {"failure", failure_json(r.failure)},
                       {"elapsed_ms", r.elapsed.count()},
                       {"first_run", first_run_json(r.first_run)}});
  }
  return out;
}

json case_json(const engine::CaseResult& r) {
  json transcript = json::array();
  for (const engine::TranscriptEntry& e : r.transcript) transcript.push_back(entry_json(e));
  return json{{"scenario_id", utf8_safe(r.scenario_id)},
              {"name", utf8_safe(r.name())},
              {"summary", utf8_safe(r.summary)},
              {"file", utf8_safe(r.file)},
              {"form", r.form},
              {"requirements", strings(r.requirements)},
              {"tags", strings(r.tags)},
              {"target", utf8_safe(r.target)},
              {"family", family_name(r.family)},
              {"verdict", verdict_name(r.verdict)},
              {"reason", utf8_safe(r.reason)},
              {"failure", failure_json(r.failure)},
              {"transcript", std::move(transcript)},
              {"command", utf8_safe(r.command)},
              {"stderr_tail", utf8_safe(r.stderr_tail)},
              {"elapsed_ms", r.elapsed.count()},
              {"target_start_ms", target_start_ms(r)},
              {"first_run", first_run_json(r.first_run)},
              {"run", r.run},
              {"flaky", r.verdict == engine::Verdict::flaky},
              {"runs", runs_json(r.runs)}};
}

// Every requirement the cases name that is known (requirement_note), in the order first named.
json requirements_json(const engine::RunResult& run) {
  json out = json::array();
  std::vector<std::string_view> seen;
  for (const engine::CaseResult& r : run.cases) {
    for (const std::string& id : r.requirements) {
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
      seen.push_back(id);
      const std::optional<engine::RequirementNote> note = requirement_note(run.info, id);
      if (!note) continue;
      out.push_back(json{{"id", utf8_safe(note->id)},
                         {"level", level_name(note->level)},
                         {"text", utf8_safe(note->text)}});
    }
  }
  return out;
}

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(std::string path) : path_(std::move(path)) {}
  void run_start(const engine::RunInfo& /*info*/) override {}
  void case_start(const engine::CaseResult& /*planned*/) override {}
  void case_end(const engine::CaseResult& /*result*/) override {}
  net::Status run_end(const engine::RunResult& run) override {
    // Strings are made valid UTF-8 above; `replace` only guards against a missed one.
    return write_file_atomically(
        path_, to_json(run).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  }

 private:
  std::string path_;
};

}  // namespace

nlohmann::json to_json(const engine::RunResult& run) {
  const engine::RunInfo& info = run.info;
  json run_json{{"version", utf8_safe(info.version)},
                {"pack", utf8_safe(info.pack)},
                {"targets", strings(info.targets)},
                {"target_args", strings(info.target_args)},
                {"data_root_args", utf8_safe(info.data_root_args)},
                {"cases", info.cases},
                {"jobs", info.jobs},
                {"shard", utf8_safe(info.shard)},
                {"strict", info.strict},
                {"started_at", utf8_safe(info.started_at)},
                {"elapsed_ms", run.elapsed.count()},
                {"interrupted", run.interrupted},
                {"repeat", info.repeat},
                {"verify", info.verify},
                {"runs", info.runs},
                {"counts", counts_json(run.counts)}};
  json cases = json::array();
  for (const engine::CaseResult& r : run.cases) cases.push_back(case_json(r));
  return json{{"sockspec", kJsonVersion},
              {"run", std::move(run_json)},
              {"requirements", requirements_json(run)},
              {"cases", std::move(cases)}};
}

std::unique_ptr<Reporter> make_json_reporter(std::string path) {
  return std::make_unique<JsonReporter>(std::move(path));
}

}  // namespace sockspec::report
