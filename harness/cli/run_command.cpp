// `sockspec run`: load, select, plan, run with -j workers, report; Ctrl-C tears down and writes
// partial reports.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include "harness/cli/commands.hpp"
#include "harness/cli/pack.hpp"
#include "harness/engine/exchange_check.hpp"
#include "harness/engine/runner.hpp"
#include "harness/engine/verdict.hpp"
#include "harness/report/console.hpp"
#include "harness/report/console_tty.hpp"
#include "harness/report/file_output.hpp"
#include "harness/report/html.hpp"
#include "harness/report/json.hpp"
#include "harness/report/junit.hpp"
#include "harness/report/text.hpp"
#include "targets/net/signal_pipe.hpp"

namespace sockspec::cli {
namespace {

int usage_error(const std::string& message) {
  fmt::print(stderr, "sockspec: {}\n", message);
  return kExitUsage;
}

std::string now_rfc3339() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The reporters of the run; `on_broken_console` is called once if the console's reader goes
// away (ConsoleOptions::on_broken).
std::vector<std::unique_ptr<report::Reporter>> make_reporters(
    const RunOptions& o, std::function<void()> on_broken_console) {
  std::vector<std::unique_ptr<report::Reporter>> reporters;
  // A report on stdout ("-") has stdout to itself: the console goes to stderr.
  std::FILE* const out = o.report_on_stdout() ? stderr : stdout;
  const bool tty = report::is_terminal(out);
  const report::EnvLookup env = report::process_environment();
  report::ConsoleOptions console;
  console.colour = report::console_colour(o.color, tty, env);
  console.live = report::console_live(tty, env);
  console.verbose = o.verbose;
  console.quiet = o.quiet;
  console.on_broken = std::move(on_broken_console);
  reporters.push_back(report::make_console_reporter(out, std::move(console)));
  if (!o.junit.empty()) reporters.push_back(report::make_junit_reporter(o.junit));
  if (!o.json.empty()) reporters.push_back(report::make_json_reporter(o.json));
  if (!o.html.empty()) reporters.push_back(report::make_html_reporter(o.html));
  return reporters;
}

}  // namespace

int run_command(const RunOptions& o) {
  std::vector<scenario::Scenario> all;
  const auto selected = load_and_select(o.select, all);
  if (!selected) return kExitUsage;

  std::vector<target::Profile> profiles;
  std::vector<std::string> target_args;  // how each of `profiles` is given again (reproduce)
  for (const std::string& spec : o.targets) {
    net::Result<std::vector<target::Profile>> p = load_profiles(spec);
    if (!p) {
      fmt::print(stderr, "{}\n", p.error().message);
      return kExitUsage;
    }
    for (const target::Profile& profile : *p) {
      // A glob stands for built-in profiles: each is given again by its name.
      const bool glob = spec.find_first_of("*?[") != std::string::npos;
      target_args.push_back("--target " + report::shell_quote(glob ? profile.name : spec));
    }
    std::move(p->begin(), p->end(), std::back_inserter(profiles));
  }
  // CLI11 let only a readiness name through.
  const target::Readiness ready =
      target::readiness_from_name(o.ready).value_or(target::Readiness::ready_line);
  for (const std::string& cmd : o.commands) {
    net::Result<target::Profile> p = target::profile_from_command(cmd, ready);
    if (!p) return usage_error(p.error().message);
    if (net::Status s = declare_one_line_target(*p, o.one_line, true); !s)
      return usage_error(s.error().message);
    profiles.push_back(std::move(p).value());
    target_args.push_back(fmt::format("--cmd {} --ready {}{}", report::shell_quote(cmd), o.ready,
                                      one_line_args(o.one_line)));
  }
  std::vector<net::Endpoint> running;
  for (const std::string& addr : o.connect) {
    net::Result<net::Endpoint> e = net::Endpoint::parse(addr);
    if (!e) return usage_error("--connect: " + e.error().message);
    target::Profile p;
    p.where = {"--connect", 1, 1};
    p.name = "connect " + e->to_string();
    if (net::Status s = declare_one_line_target(p, o.one_line, false); !s)
      return usage_error(s.error().message);
    if (e->is_ipv6()) p.capabilities.emplace_back("ipv6");
    profiles.push_back(std::move(p));
    target_args.push_back(
        fmt::format("--connect {}{}", report::shell_quote(addr), one_line_args(o.one_line)));
    running.push_back(*e);
  }
  // `profiles` is complete: pointers into it stay valid.
  std::vector<engine::TargetRef> targets;
  const std::size_t started = profiles.size() - running.size();
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    targets.push_back(
        {&profiles[i], i < started ? std::nullopt : std::optional(running[i - started])});
  }
  if (targets.empty()) return usage_error("no target: give --target, --cmd or --connect");

  std::vector<engine::PlannedCase> cases = engine::plan_cases(*selected, targets, bindir());
  if (!o.families.empty()) {
    std::erase_if(cases, [&o](const engine::PlannedCase& c) {
      const std::string_view name = c.spec.family == scenario::Family::ipv6 ? "ipv6" : "ipv4";
      return std::find(o.families.begin(), o.families.end(), name) == o.families.end();
    });
  }
  if (!o.shard.empty()) {
    net::Result<std::vector<engine::PlannedCase>> mine = engine::shard(std::move(cases), o.shard);
    if (!mine) return usage_error(mine.error().message);
    cases = std::move(mine).value();
  }
  if (cases.empty()) {
    return usage_error(
        "no case to run: the selected scenarios fit none of the targets "
        "(server scenarios need a server target, client scenarios a client)");
  }

  for (const auto& [flag, path] : {std::pair{"--junit", &o.junit}, std::pair{"--json", &o.json},
                                   std::pair{"--html", &o.html}}) {
    if (path->empty()) continue;
    if (net::Status s = report::check_writable(*path); !s) {
      return usage_error(fmt::format("{}: {}", flag, s.error().message));
    }
  }

  net::ignore_sigpipe();
  net::Result<net::SignalPipe> interrupt = net::SignalPipe::install({SIGINT, SIGTERM});
  if (!interrupt) {
    fmt::print(stderr, "sockspec: {}\n", interrupt.error().message);
    return kExitError;
  }

  for (const std::string& problem : engine::check_exchanges(cases, bindir(), interrupt->fd())) {
    fmt::print(stderr, "sockspec: {}\n", problem);
  }

  const std::string timings_path =
      o.timings == "none" ? std::string()
                          : (o.timings.empty() ? engine::default_timings_path() : o.timings);
  engine::Timings timings = engine::Timings::load(timings_path);
  engine::RunOptions run;
  run.jobs = o.jobs != 0 ? o.jobs : std::max(1U, std::thread::hardware_concurrency());
  run.timings = &timings;
  run.strict = o.strict;
  run.stop_fd = interrupt->fd();
  run.repeat = o.repeat;
  run.rounds = o.verify;
  for (const engine::TargetRef& t : targets) {
    run.info.targets.push_back(t.profile->name);
  }
  run.info.target_args = std::move(target_args);
  for (const std::string& root : o.select.data_roots) {
    run.info.data_root_args += fmt::format(
        "{}--data-root {}", run.info.data_root_args.empty() ? "" : " ", report::shell_quote(root));
  }
  run.info.jobs = run.jobs;
  run.info.shard = o.shard;
  run.info.strict = o.strict;
  run.info.started_at = now_rfc3339();
  run.info.version = tool_version();
  run.info.pack = paths_revision(o.select.paths);
  run.info.cases = cases.size();
  run.info.repeat = o.repeat;
  run.info.verify = o.verify;
  run.info.runs = engine::planned_runs(cases, o.repeat);
  run.info.expected = engine::planned_time(cases, timings, o.repeat);

  // The console's reader went away (`sockspec run | head`): stop as on Ctrl-C, quietly, still
  // writing the file reports, and end as git and grep do on SIGPIPE (kExitBrokenPipe).
  std::atomic<bool> console_broken = false;
  const auto reporters = make_reporters(o, [&console_broken, &interrupt] {
    console_broken = true;
    interrupt->raise_now();
  });
  for (const auto& r : reporters) r->run_start(run.info);
  engine::RunObserver observer;
  observer.case_start = [&](const engine::CaseResult& c) {
    for (const auto& r : reporters) r->case_start(c);
  };
  observer.case_end = [&](const engine::CaseResult& c) {
    for (const auto& r : reporters) r->case_end(c);
  };
  observer.case_deferred = [&](const engine::CaseResult& c) {
    for (const auto& r : reporters) r->case_deferred(c);
  };
  const engine::RunResult result = engine::run_cases(cases, run, observer);
  timings.save(timings_path);
  int code = engine::exit_code(result, o.strict);
  for (const auto& r : reporters) {
    if (net::Status s = r->run_end(result); !s) {
      fmt::print(stderr, "sockspec: {}\n", s.error().message);
      if (code != kExitInterrupted) code = kExitError;
    }
  }
  return console_broken ? kExitBrokenPipe : code;
}

}  // namespace sockspec::cli
