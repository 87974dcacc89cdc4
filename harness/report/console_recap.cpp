// The closing recap of problem cases (see console_recap.hpp).
#include "harness/report/console_recap.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using engine::Verdict;

constexpr std::array kRecapOrder{Verdict::fail, Verdict::xpass, Verdict::error, Verdict::flaky,
                                 Verdict::non_strict};

// One line of at most kRecapLineMax characters.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  if (text.size() <= kRecapLineMax) return text;
  std::size_t end = kRecapLineMax - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
  text.resize(end);
  return text + "...";
}

// The case's diagnostic. A failure line too long for the recap gives way to its observed half:
// the expectation is in the scenario, and a long one (a binary payload's preview) would push out
// what was seen.
std::string diagnostic(const engine::CaseResult& r) {
  if (!r.failure || r.verdict == Verdict::flaky) return r.reason;
  const std::string whole = engine::failure_line(*r.failure);
  if (r.name().size() + 2 + whole.size() <= kRecapLineMax) return whole;
  return engine::failure_line_observed(*r.failure);
}

}  // namespace

std::vector<RecapEntry> recap(const engine::RunResult& run) {
  std::vector<RecapEntry> entries;
  for (const Verdict verdict : kRecapOrder) {
    for (const engine::CaseResult& r : run.cases) {
      if (r.verdict != verdict) continue;
      RecapEntry e;
      e.verdict = verdict;
      e.headline = one_line(printable_text(fmt::format("{}: {}", r.name(), diagnostic(r))));
      if (verdict == Verdict::flaky) e.detail = flaky_lines(r);
      e.reproduce = printable_text(reproduce_command(run.info, r));
      if (verdict == Verdict::flaky) e.reproduce += fmt::format(" --repeat {}", run.info.repeat);
      entries.push_back(std::move(e));
    }
  }
  return entries;
}

}  // namespace sockspec::report
