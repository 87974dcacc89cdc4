// The few non-inline parts of result.hpp: verdict names, failure lines, case names and verdict
// counts.
#include "harness/engine/result.hpp"

#include <fmt/format.h>

namespace sockspec::engine {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "fail";
    case Verdict::non_strict:
      return "non-strict";
    case Verdict::xfail:
      return "xfail";
    case Verdict::xpass:
      return "xpass";
    case Verdict::skip:
      return "skip";
    case Verdict::error:
      return "error";
    case Verdict::flaky:
      return "flaky";
  }
  return "?";
}

namespace {

// "file:line:col: step", the start of every failure line.
std::string failure_place(const Failure& f) {
  return fmt::format("{}:{}:{}: {}", f.where.file, f.where.line, f.where.column, f.step);
}

}  // namespace

std::string failure_line(const Failure& f) {
  return fmt::format("{}: expected {}; observed {}", failure_place(f), f.expected, f.observed);
}

std::string failure_line_observed(const Failure& f) {
  return fmt::format("{}: observed {}", failure_place(f), f.observed);
}

std::string CaseResult::name() const {
  return fmt::format("{} [{}, {}]", scenario_id, target,
                     family == scenario::Family::ipv6 ? "ipv6" : "ipv4");
}

void Counts::add(Verdict v) {
  switch (v) {
    case Verdict::pass:
      ++pass;
      break;
    case Verdict::fail:
      ++fail;
      break;
    case Verdict::non_strict:
      ++non_strict;
      break;
    case Verdict::xfail:
      ++xfail;
      break;
    case Verdict::xpass:
      ++xpass;
      break;
    case Verdict::skip:
      ++skip;
      break;
    case Verdict::error:
      ++error;
      break;
    case Verdict::flaky:
      ++flaky;
      break;
  }
}

std::uint32_t Counts::total() const {
  return pass + fail + non_strict + xfail + xpass + skip + error + flaky;
}

}  // namespace sockspec::engine
