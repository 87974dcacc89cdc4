// `sockspec report merge`: the JSON reports of a sharded run read back, merged into one run, and
// reported as `sockspec run` would have reported it.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <utility>

#include "harness/cli/commands.hpp"
#include "harness/engine/verdict.hpp"
#include "harness/report/file_output.hpp"
#include "harness/report/html.hpp"
#include "harness/report/json.hpp"
#include "harness/report/json_read.hpp"
#include "harness/report/junit.hpp"
#include "harness/report/merge.hpp"
#include "harness/report/text.hpp"

namespace sockspec::cli {
namespace {

int failed(int code, const std::string& message) {
  fmt::print(stderr, "sockspec report merge: {}\n", message);
  return code;
}

}  // namespace

int report_merge_command(const ReportMergeOptions& o) {
  using report::Reporter;
  const std::pair<const char*, const std::string*> outputs[] = {
      {"--junit", &o.junit}, {"--json", &o.json}, {"--html", &o.html}};
  for (const auto& [flag, path] : outputs) {
    if (path->empty()) continue;
    if (net::Status s = report::check_writable(*path); !s) {
      return failed(kExitUsage, fmt::format("{}: {}", flag, s.error().message));
    }
  }
  std::vector<report::ShardReport> shards;
  for (const std::string& path : o.inputs) {
    net::Result<engine::RunResult> run = report::read_json_report(path);
    if (!run) return failed(kExitUsage, run.error().message);
    shards.push_back({path, std::move(run).value()});
  }
  net::Result<engine::RunResult> merged = report::merge_shards(std::move(shards));
  if (!merged) return failed(kExitUsage, merged.error().message);

  // The summary goes where the console of `sockspec run` would: away from a report on stdout.
  std::FILE* console = o.report_on_stdout() ? stderr : stdout;
  fmt::print(
      console, "{}\n",
      report::summary_line(merged->counts, merged->elapsed, merged->interrupted, merged->info));
  std::fflush(console);
  int code = engine::exit_code(*merged, merged->info.strict);
  std::vector<std::unique_ptr<Reporter>> reporters;
  if (!o.junit.empty()) reporters.push_back(report::make_junit_reporter(o.junit));
  if (!o.json.empty()) reporters.push_back(report::make_json_reporter(o.json));
  if (!o.html.empty()) reporters.push_back(report::make_html_reporter(o.html));
  for (const auto& r : reporters) {
    if (net::Status s = r->run_end(*merged); !s) {
      fmt::print(stderr, "sockspec report merge: {}\n", s.error().message);
      if (code != kExitInterrupted) code = kExitError;
    }
  }
  return code;
}

}  // namespace sockspec::cli
