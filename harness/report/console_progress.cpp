// Progress of a run for the console: running cases, done count, ETA (see console_progress.hpp).
#include "harness/report/console_progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "harness/report/text.hpp"

namespace sockspec::report {
namespace {

using std::chrono::milliseconds;

// Columns a UTF-8 text takes, taking each code point as one column.
std::size_t columns(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

// The first `max` columns of a UTF-8 text.
std::string first_columns(std::string_view text, std::size_t max) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U) continue;
    if (seen++ == max) return std::string(text.substr(0, i));
  }
  return std::string(text);
}

// The verdicts the live line counts as failing (non-strict is not: it fails only --strict runs).
bool counts_as_failing(engine::Verdict v) {
  using engine::Verdict;
  return v == Verdict::fail || v == Verdict::xpass || v == Verdict::error || v == Verdict::flaky;
}

}  // namespace

std::string short_case_name(const engine::CaseResult& c, bool several_targets) {
  std::string id = printable_text(c.scenario_id);
  if (id.size() > kShortIdMax) {
    const std::size_t head = (kShortIdMax - 1) / 2;
    const std::size_t tail = kShortIdMax - 1 - head;
    id = id.substr(0, head) + "~" + id.substr(id.size() - tail);
  }
  const bool v6 = c.family == scenario::Family::ipv6;
  if (several_targets) {
    return fmt::format("{}[{}{}]", id, printable_text(c.target), v6 ? ",v6" : "");
  }
  return v6 ? id + "[v6]" : id;
}

std::string format_eta(milliseconds d) {
  const auto s = std::max<std::int64_t>(0, (d.count() + 500) / 1000);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

Progress::Progress(const engine::RunInfo& info, Clock::time_point start)
    : planned_(info.stability() ? info.runs : info.cases),
      total_(info.expected),
      several_targets_(info.targets.size() > 1),
      start_(start) {}

std::string Progress::key(const engine::CaseResult& c) {
  return fmt::format("{}#{}", c.name(), c.run);
}

void Progress::started(const engine::CaseResult& planned, Clock::time_point now) {
  running_[key(planned)] =
      Running{short_case_name(planned, several_targets_), now, planned.expected};
}

void Progress::finish(const engine::CaseResult& c) {
  const auto it = running_.find(key(c));
  if (it == running_.end()) return;
  work_done_ += it->second.expected;
  running_.erase(it);
}

void Progress::ended(const engine::CaseResult& result) {
  ++done_;
  if (counts_as_failing(result.verdict)) ++failing_;
  deferred_.erase(key(result));
  finish(result);
}

void Progress::deferred(const engine::CaseResult& first_run) {
  deferred_[key(first_run)] = first_run.expected;
  finish(first_run);
}

std::optional<milliseconds> Progress::eta(Clock::time_point now) const {
  if (done_ >= planned_) return milliseconds(0);
  milliseconds credit = work_done_;
  milliseconds longest_left{0};  // no end before the running case furthest from its end
  for (const auto& [key, r] : running_) {
    const auto ran = std::chrono::duration_cast<milliseconds>(now - r.since);
    credit += std::min(r.expected, ran);
    longest_left = std::max(longest_left, r.expected - ran);
  }
  milliseconds reruns{0};
  for (const auto& [key, expected] : deferred_) reruns += expected;
  if (running_.empty() && done_ + deferred_.size() >= planned_) {  // only the reruns are left
    return reruns.count() > 0 ? std::optional(reruns) : std::nullopt;
  }
  const auto elapsed = std::chrono::duration_cast<milliseconds>(now - start_);
  if (credit.count() <= 0 || elapsed.count() <= 0 || credit >= total_) return std::nullopt;
  const double pace = static_cast<double>(elapsed.count()) / static_cast<double>(credit.count());
  const milliseconds at_pace(
      static_cast<std::int64_t>(static_cast<double>((total_ - credit).count()) * pace));
  return std::max(at_pace, longest_left) + reruns;
}

std::string Progress::eta_text(Clock::time_point now) const {
  const std::optional<milliseconds> left = eta(now);
  return left ? "ETA " + format_eta(*left) : "ETA unknown";
}

std::vector<std::string> Progress::running_names() const {
  std::vector<const Running*> order;
  for (const auto& [key, r] : running_) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(),
                   [](const Running* a, const Running* b) { return a->since < b->since; });
  std::vector<std::string> names;
  for (const Running* r : order) names.push_back(r->name);
  return names;
}

std::string Progress::live_line(Clock::time_point now, std::size_t width) const {
  const std::size_t max = width > 1 ? width - 1 : 1;
  const std::string total = std::to_string(planned_);
  std::string line = fmt::format("[{:>{}}/{}] {}", done_, total.size(), total, eta_text(now));
  if (failing_ > 0) line += fmt::format(" | {} failing", failing_);
  const std::vector<std::string> names = running_names();
  if (names.empty() && !deferred_.empty()) {
    line += fmt::format(" | {} to run again alone", deferred_.size());
  }
  if (!names.empty()) {
    line += fmt::format(" | {} running: ", names.size());
    const auto more = [](std::size_t n) {
      return n == 0 ? std::string() : fmt::format(" +{} more", n);
    };
    std::size_t shown = 0;
    for (; shown < names.size(); ++shown) {
      const std::string next = (shown == 0 ? "" : ", ") + names[shown];
      const bool fits =
          columns(line) + columns(next) + columns(more(names.size() - shown - 1)) <= max;
      if (!fits && shown > 0) break;  // the first name is shown, cut if need be
      line += next;
    }
    line += more(names.size() - shown);
  }
  return first_columns(line, max);
}

std::string Progress::heartbeat_line(Clock::time_point now) const {
  const std::vector<std::string> names = running_names();
  std::string line = fmt::format("... {}/{} done, {} running", done_, planned_, names.size());
  if (!names.empty()) {
    const std::size_t shown = std::min(names.size(), kHeartbeatNames);
    line += ": " +
            fmt::format("{}", fmt::join(names.begin(),
                                        names.begin() + static_cast<std::ptrdiff_t>(shown), ", "));
    if (shown < names.size()) line += fmt::format(" +{} more", names.size() - shown);
  }
  if (!deferred_.empty()) line += fmt::format(", {} to run again alone", deferred_.size());
  return line + ", " + eta_text(now);
}

}  // namespace sockspec::report
