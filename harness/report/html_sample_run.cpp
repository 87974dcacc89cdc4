// The large hand-built run (see html_sample_run.hpp).
#include "harness/report/html_sample_run.hpp"

#include <fmt/format.h>

#include <array>

#include "harness/report/test_support.hpp"
#include "harness/report/text.hpp"

namespace sockspec::report::testing {
namespace {

using engine::Verdict;
using namespace std::chrono_literals;

constexpr std::array<std::string_view, 5> kTargets{"reference-epoll", "reference-threads",
                                                   "reference-processes", "reference-iterative",
                                                   "broken-close-early"};

// One in 50 of each of these, the rest pass.
constexpr std::array<Verdict, 7> kOthers{Verdict::fail,  Verdict::non_strict, Verdict::xfail,
                                         Verdict::xpass, Verdict::skip,       Verdict::error,
                                         Verdict::flaky};

engine::CaseResult generated_case(std::size_t n) {
  using Kind = engine::TranscriptEntry::Kind;
  engine::CaseResult r;
  const std::size_t column = n % (kTargets.size() * 2);
  r.scenario_id = fmt::format("gen/scenario-{:03}", n / (kTargets.size() * 2));
  r.summary = "a generated case";
  r.file = "conformance/tcp/" + r.scenario_id + ".yaml";
  r.requirements = {"STR-1"};
  r.form = "echo";
  r.target = std::string(kTargets[column / 2]);
  r.family = column % 2 == 0 ? scenario::Family::ipv4 : scenario::Family::ipv6;
  r.verdict = n % 50 < kOthers.size() ? kOthers[n % 50] : Verdict::pass;
  r.command = "sockspec-server --model epoll --service echo --port 0";
  r.elapsed = std::chrono::milliseconds(n % 97);
  r.transcript = {{100us, Kind::event, "c", "connected to 127.0.0.1:41234", 0},
                  {200us, Kind::sent, "c", "hello, world\n", 13},
                  {900us, Kind::received, "c", "hello, world\n", 13},
                  {1000us, Kind::event, "c", "EOF", 0}};
  if (r.verdict == Verdict::fail || r.verdict == Verdict::non_strict ||
      r.verdict == Verdict::flaky) {
    r.failure = engine::Failure{
        {r.file, 7, 5},
        "expect",
        "16777216 bytes \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\"... "
        "(16777216 bytes)",
        "byte 32768 is 0x00, not 0x61 ('a'); from byte 32752, expected "
        "\"qrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzab\"..., received "
        "\"qrstuvwxyzabcdef\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"...",
        ""};
    r.reason = engine::failure_line(*r.failure);
  } else if (r.verdict != Verdict::pass) {
    r.reason = fmt::format("a generated {}", engine::verdict_name(r.verdict));
  }
  return r;
}

}  // namespace

engine::RunResult generated_run(std::size_t cases) {
  engine::RunResult run = sample_run();
  run.info.targets = {kTargets.begin(), kTargets.end()};
  run.info.version = "0.1.0";
  for (std::size_t n = 0; run.cases.size() < cases; ++n) run.cases.push_back(generated_case(n));
  run.info.cases = run.cases.size();
  run.counts = {};
  for (const engine::CaseResult& r : run.cases) run.counts.add(r.verdict);
  return run;
}

}  // namespace sockspec::report::testing
