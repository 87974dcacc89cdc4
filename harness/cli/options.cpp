// Flag declarations of the `sockspec` subcommands (see options.hpp).
#include "harness/cli/options.hpp"

#include <CLI/CLI.hpp>

namespace sockspec::cli {

void add_select_options(CLI::App& app, SelectOptions& o) {
  app.add_option("paths", o.paths,
                 "Scenario files or folders to load. Without any, the built-in pack "
                 "(conformance/) is used.");
  app.add_option("--id", o.selection.ids,
                 "Run only scenarios whose id matches this glob (e.g. 'str/*'). Repeatable.");
  app.add_option("--tag", o.selection.tags, "Run only scenarios with this tag. Repeatable.");
  app.add_option("--requirement,-r", o.selection.requirements,
                 "Run only scenarios that check this requirement ID (globs allowed: 'STR-*'). "
                 "Repeatable.");
  app.add_option("--exclude-tag", o.selection.exclude_tags,
                 "Leave out scenarios with this tag (e.g. slow). Repeatable.");
}

void add_run_options(CLI::App& app, RunOptions& o) {
  add_select_options(app, o.select);
  app.add_option("--target,-t", o.targets,
                 "A target profile: a file, or the name (or glob) of a built-in profile such as "
                 "'reference-epoll' or 'reference-*'. Repeatable.");
  app.add_option("--cmd", o.commands,
                 "A server command line to test, with placeholders such as {port} and {host} "
                 "(e.g. './my-server --port {port}'). Repeatable.");
  app.add_option("--ready", o.ready,
                 "How a --cmd server shows it is ready: ready-line, tcp-probe, udp-probe or proc.")
      ->check(CLI::IsMember({"ready-line", "tcp-probe", "udp-probe", "proc"}));
  app.add_option("--connect", o.connect,
                 "A server that is already running, as HOST:PORT; lifecycle scenarios are "
                 "skipped. Repeatable.");
  app.add_option("--jobs,-j", o.jobs, "Cases run in parallel (default: one per core).")
      ->check(CLI::Range(1U, 256U));
  app.add_option("--shard", o.shard,
                 "Run the K-th of N deterministic slices of the cases, as K/N (for a CI matrix).");
  app.add_flag("--strict", o.strict, "Treat a failed SHOULD as a failure (exit 1).");
  app.add_option("--junit", o.junit, "Write a JUnit XML report to this file.");
  app.add_option("--json", o.json, "Write a JSON report to this file.");
  app.add_option("--html", o.html, "Write an HTML report (targets x scenarios) to this file.");
  app.add_option("--color", o.color, "Colour the console: auto (on a terminal), always or never.")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--verbose,-v", o.verbose, "Show the transcript of every case, passes too.");
  app.add_flag("--quiet,-q", o.quiet, "Show only failures and the summary.");
}

void add_validate_options(CLI::App& app, ValidateOptions& o) {
  app.add_option("paths", o.paths,
                 "Scenario files or folders to check. Without any, the built-in pack.");
  app.add_option("--profile,-p", o.profiles, "A target profile file to check. Repeatable.");
}

void add_show_options(CLI::App& app, ShowOptions& o) {
  add_select_options(app, o.select);
}

void add_list_options(CLI::App& app, ListOptions& o) {
  add_select_options(app, o.select);
  app.add_flag("--requirements", o.requirements,
               "List CONFORMANCE.md's requirements instead: ID, level, what it applies to and "
               "how many selected scenarios check it.");
}

}  // namespace sockspec::cli
