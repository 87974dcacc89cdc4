// The flags of the `sockspec` subcommands and their parser (see options.hpp).
#include "harness/cli/options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "harness/cli/commands.hpp"
#include "harness/cli/pack.hpp"
#include "harness/engine/stability.hpp"
#include "harness/target/profile.hpp"
#include "targets/proto/service.hpp"

namespace sockspec::cli {
namespace {

// The --ready values: the names of target::Readiness, defined once in the profile layer.
std::vector<std::string> readiness_choices() {
  const auto names = target::readiness_names();
  return {names.begin(), names.end()};
}

constexpr const char* kProgramHelp =
    "sockspec: proves that a TCP/UDP server or client gets sockets right.";
constexpr const char* kProgramAbout =
    "sockspec runs conformance scenarios (YAML files, each tied to requirement IDs) against TCP "
    "and UDP servers and clients: built-in profiles, profile files, a command line to start or a "
    "server already running. Each scenario runs against each target over each address family "
    "with a fresh target, and gets a verdict, shown on the console and written to JUnit, JSON and "
    "HTML reports. Without paths the built-in pack is used. `sockspec fuzz` sends a live server "
    "mutated inputs and reports crashes, hangs and wrong answers as scenarios that replay them.";

// A flag given again for more values: one value per occurrence, so that a path after it stays a
// path (`validate --profile x.yaml conformance/`).
void add_repeatable(CLI::App& app, const std::string& name, std::vector<std::string>& out,
                    const std::string& help) {
  app.add_option(name, out, help)->allow_extra_args(false);
}

void add_data_root_option(CLI::App& app, std::vector<std::string>& roots) {
  add_repeatable(app, "--data-root", roots,
                 "Let scenarios' file: data come from this folder too (by default only from "
                 "each scenario's own folder and below). Repeatable.");
}

void add_select_options(CLI::App& app, SelectOptions& o) {
  app.add_option("paths", o.paths,
                 "Scenario files or folders to load. Without any, the built-in pack "
                 "(conformance/) is used.");
  add_data_root_option(app, o.data_roots);
  add_repeatable(app, "--id", o.selection.ids,
                 "Run only scenarios whose id matches this glob (e.g. 'str/*'). Repeatable.");
  add_repeatable(app, "--tag", o.selection.tags, "Run only scenarios with this tag. Repeatable.");
  add_repeatable(app, "--requirement,-r", o.selection.requirements,
                 "Run only scenarios that check this requirement ID (globs allowed: 'STR-*'). "
                 "Repeatable.");
  add_repeatable(app, "--exclude-tag", o.selection.exclude_tags,
                 "Leave out scenarios with this tag (e.g. slow). Repeatable.");
}

// --repeat and --verify as given, resolved into RunOptions::repeat and ::verify after parsing.
struct StabilityFlags {
  unsigned repeat = 0;  // 0: not given
  unsigned verify = 0;  // --verify=N; 0: --verify alone, or not given
  CLI::Option* verify_flag = nullptr;
};

void add_stability_options(CLI::App& app, StabilityFlags& f) {
  app.add_option("--repeat", f.repeat,
                 fmt::format("Stability mode: run each case N times in one pass (its runs may run "
                             "beside each other under -j) and report each case whose runs' "
                             "verdicts differ as flaky, with each verdict's diagnostic (exit 1). "
                             "With --verify: the number of rounds. At most {}.",
                             engine::kMaxRepeat))
      ->check(CLI::Range(1U, engine::kMaxRepeat));
  f.verify_flag =
      app.add_flag("--verify{0}", f.verify,
                   fmt::format("Stability mode as wptrunner's --verify: run the whole selection "
                               "several times over, one round after another ({} rounds; "
                               "--verify=N or --verify --repeat N for N), and report each case "
                               "whose verdicts differ as flaky (exit 1). Each run is judged as in "
                               "a normal run, reruns alone included.",
                               engine::kDefaultVerifyRuns))
          ->check(CLI::Range(0U, engine::kMaxRepeat));
}

// Resolves the stability flags into `o`; an error message when they contradict each other.
std::string resolve_stability(const StabilityFlags& f, RunOptions& o) {
  o.verify = f.verify_flag->count() > 0;
  if (o.verify && f.verify > 0 && f.repeat > 0 && f.verify != f.repeat) {
    return fmt::format("--verify={} and --repeat {}: give the number of runs once", f.verify,
                       f.repeat);
  }
  if (f.repeat > 0) {
    o.repeat = f.repeat;
  } else if (o.verify) {
    o.repeat = f.verify > 0 ? f.verify : engine::kDefaultVerifyRuns;
  }
  return {};
}

// --junit, --json and --html, of `run` and `report merge`.
void add_report_options(CLI::App& app, std::string& junit, std::string& json, std::string& html) {
  app.add_option("--junit", junit,
                 "Write a JUnit XML report to this file ('-': stdout). A non-strict case is "
                 "<skipped> without --strict, a <failure> with it, as the exit code says.");
  app.add_option("--json", json,
                 "Write a JSON report to this file ('-': stdout): every case with its transcript, "
                 "for scripts and for `sockspec report merge`.");
  app.add_option("--html", html,
                 "Write an HTML report (targets x scenarios) to this file ('-': stdout).");
}

// Why the reports `flags` (name, path) cannot all be written, or empty: at most one may be "-",
// stdout.
std::string one_report_on_stdout(
    std::initializer_list<std::pair<std::string_view, const std::string*>> flags) {
  std::vector<std::string_view> on_stdout;
  for (const auto& [name, path] : flags) {
    if (*path == "-") on_stdout.push_back(name);
  }
  if (on_stdout.size() < 2) return {};
  return fmt::format("{} {} write to stdout ('-'): give '-' to one report at most",
                     fmt::join(on_stdout, " and "), on_stdout.size() == 2 ? "both" : "all");
}

// The flags that say which server a command tests, defined once for `run` and `fuzz` (as
// libFuzzer's FuzzerFlags.def): the names and the help both commands share. A command adds a note
// of its own (what a glob or a dying target does there); `run` takes each many times.
struct TargetFlag {
  const char* names;
  const char* help;
};
constexpr TargetFlag kTargetFlag{
    "--target,-t",
    "A target profile: a file, or the name of a built-in profile such as 'reference-epoll'."};
constexpr TargetFlag kCmdFlag{"--cmd",
                              "A server command line, with placeholders such as {port} and {host} "
                              "(e.g. './my-server --port {port}')."};
constexpr TargetFlag kReadyFlag{
    "--ready", "How a --cmd server shows it is ready: ready-line, tcp-probe, udp-probe or proc."};
constexpr TargetFlag kConnectFlag{"--connect", "A server that is already running, as HOST:PORT."};
constexpr TargetFlag kFamilyFlag{"--family", "The address family: ipv4 or ipv6."};

// The shared help of `flag`, then the command's `note`.
std::string help_with(const TargetFlag& flag, std::string_view note) {
  return note.empty() ? std::string(flag.help) : fmt::format("{} {}", flag.help, note);
}
// `flag` taking one value, or (a vector) given once per value.
CLI::Option* add_target_flag(CLI::App& app, const TargetFlag& flag, std::string& out,
                             std::string_view note) {
  return app.add_option(flag.names, out, help_with(flag, note));
}
CLI::Option* add_target_flag(CLI::App& app, const TargetFlag& flag, std::vector<std::string>& out,
                             std::string_view note) {
  return app.add_option(flag.names, out, help_with(flag, note) + " Repeatable.")
      ->allow_extra_args(false);
}

// Where a command keeps the target flags' values (Value: std::string, or a std::vector of them
// for a flag given many times), and what it adds to their help.
template <class Value>
struct TargetFlagValues {
  Value& target;
  Value& command;
  std::string& ready;
  Value& connect;
  std::string_view target_note;
  std::string_view connect_note;
};

// --target, --cmd, --ready and --connect, for `run` and `fuzz`.
template <class Value>
void add_target_flags(CLI::App& app, const TargetFlagValues<Value>& v) {
  add_target_flag(app, kTargetFlag, v.target, v.target_note);
  add_target_flag(app, kCmdFlag, v.command, "");
  app.add_option(kReadyFlag.names, v.ready, kReadyFlag.help)
      ->check(CLI::IsMember(readiness_choices()));
  add_target_flag(app, kConnectFlag, v.connect, v.connect_note);
}

// --family, with the command's default.
template <class Value>
void add_family_flag(CLI::App& app, Value& out, std::string_view note) {
  add_target_flag(app, kFamilyFlag, out, note)->check(CLI::IsMember({"ipv4", "ipv6"}));
}

void add_run_options(CLI::App& app, RunOptions& o, StabilityFlags& stability) {
  add_select_options(app, o.select);
  add_target_flags<std::vector<std::string>>(
      app, {o.targets, o.commands, o.ready, o.connect, "A glob names several ('reference-*').",
            "Lifecycle scenarios are skipped."});
  OneLineTarget& t = o.one_line;
  add_repeatable(app, "--service", t.services,
                 fmt::format("What a --cmd/--connect server serves: {} (its scenarios run). "
                             "Repeatable.",
                             fmt::join(proto::kServiceNames, ", ")));
  app.add_option("--transport", t.transport,
                 "Transports of a --cmd/--connect server: tcp, udp or tcp,udp. Default: tcp.")
      ->check(CLI::IsMember({"tcp", "udp", "tcp,udp"}));
  add_repeatable(app, "--capability", t.capabilities,
                 "Declare a capability of a --cmd/--connect server (ipv6, concurrent, "
                 "graceful-stop, dual-transport, threads, processes...). Repeatable.");
  add_repeatable(app, "--no-capability", t.no_capabilities,
                 "Leave a capability out (e.g. lifecycle). Repeatable.");
  app.add_option("--exchange", t.exchange,
                 "A request in the server's own protocol (C escapes such as \\r\\n, "
                 "placeholders {client} {seq}); with --expect, the socket-level scenarios "
                 "(conformance/exchange/) run through it.");
  app.add_option("--exchange-hex", t.exchange_hex, "The request as hex bytes (\"01 02 ff\").");
  app.add_option("--expect", t.expect,
                 "A regex (ECMAScript) the whole reply to --exchange must match.");
  app.add_option("--expect-hex", t.expect_hex, "The exact reply to --exchange, as hex bytes.");
  app.add_option("--port", t.port,
                 "Where a --cmd server listens ({port}): ephemeral (0; the port is learnt from "
                 "READY or /proc), pick (a free port the harness chooses) or a number. Default: "
                 "pick with the probes, else ephemeral.");
  app.add_option("--banner", t.banner,
                 "A regex the server's greeting must match: it speaks first on every TCP "
                 "connection (SSH, SMTP, FTP).");
  app.add_option("--jobs,-j", o.jobs,
                 "Heavy cases (1 MiB, 32 connections) run at most this many at a time, and so do "
                 "brief ones (default: one per core); cases that mostly wait (silence windows, "
                 "idle timers) run beside them, up to 2 per job, and more that only sleep. 1: one "
                 "case at a time.")
      ->check(CLI::Range(1U, 256U));
  app.add_option("--timings", o.timings,
                 "The file where each case's shortest duration is kept, so the next run starts "
                 "the longest cases first (default: ~/.cache/sockspec/timings.tsv, or under "
                 "$XDG_CACHE_HOME); 'none' keeps none.");
  add_family_flag(app, o.families, "Only the cases over it run. Default: both.");
  app.add_option("--shard", o.shard,
                 "Run the K-th of N deterministic slices of the cases, as K/N (for a CI matrix).");
  add_stability_options(app, stability);
  app.add_flag("--strict", o.strict, "Treat a failed SHOULD as a failure (exit 1).");
  add_report_options(app, o.junit, o.json, o.html);
  app.add_option("--color", o.color,
                 "Colour the console: auto, always or never. auto: not when NO_COLOR is set; "
                 "always when FORCE_COLOR or CLICOLOR_FORCE is set (not 0); else on a terminal "
                 "unless TERM=dumb.")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--verbose,-v", o.verbose, "Show the transcript of every case, passes too.");
  app.add_flag("--quiet,-q", o.quiet, "Show only failures and the summary.");
}

void add_validate_options(CLI::App& app, ValidateOptions& o) {
  app.add_option("paths", o.paths,
                 "Scenario files or folders to check. Without any, the built-in pack.");
  add_repeatable(app, "--profile,-p", o.profiles, "A target profile file to check. Repeatable.");
  add_data_root_option(app, o.data_roots);
}

void add_show_options(CLI::App& app, ShowOptions& o) {
  add_select_options(app, o.select);
}

void add_list_options(CLI::App& app, ListOptions& o) {
  add_select_options(app, o.select);
  app.add_flag("--requirements", o.requirements,
               "List the requirements instead (the built-in ones and the pack's own): ID, level, "
               "what it applies to and how many selected scenarios check it.");
  app.add_flag("--json", o.json,
               "Print the selected scenarios as a JSON array instead: id, file, summary, "
               "requirements, tags, families, role and needs of each.");
}

void add_fuzz_options(CLI::App& app, FuzzOptions& o) {
  add_target_flags<std::string>(app, {o.target, o.command, o.ready, o.connect,
                                      "It is started, and restarted after each death or hang.",
                                      "It is never restarted: the campaign ends when it dies."});
  app.add_option("--service", o.service,
                 fmt::format("The service to fuzz: {} (daytime and chargen are checked for "
                             "liveness only). Default: echo.",
                             fmt::join(proto::kServiceNames, ", ")));
  app.add_option("--mode", o.mode,
                 "How inputs are sent: persistent (one TCP connection for many inputs), "
                 "per-connection (a TCP connection per input, half-closed after it) or datagram "
                 "(one UDP datagram per input). Default: persistent.")
      ->check(CLI::IsMember({"persistent", "per-connection", "datagram"}));
  add_family_flag(app, o.family, "Default: ipv4.");
  app.add_option("--time", o.time,
                 "How long to fuzz, e.g. 30s, 10m or 8h (minimising a finding takes its own "
                 "time on top). Default: 60s.");
  app.add_option("--runs", o.runs, "Stop after this many inputs. Default: no limit.");
  app.add_option("--seed", o.seed,
                 "The random seed, for a repeatable campaign. Default: a random one, printed.");
  app.add_option("--max-len", o.max_len, "The longest input sent, in bytes. Default: 4096.")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24));
  add_repeatable(app, "--dict", o.dicts,
                 "A dictionary of tokens to insert (libFuzzer/AFL format, as in corpora/). "
                 "Repeatable.");
  add_repeatable(app, "--seeds", o.seeds,
                 "Scenario files or folders whose sent data seed the corpus. Default: the "
                 "built-in pack. Repeatable.");
  add_data_root_option(app, o.data_roots);
  app.add_flag("--no-pack-seeds", o.no_pack_seeds,
               "Do not seed the corpus from the built-in pack (built-in minimal seeds remain).");
  add_repeatable(app, "--corpus", o.corpus,
                 "A corpus folder (a file is one input: raw bytes, or several messages as "
                 "harness/README.md says). Repeatable: all are read; the first is also written: "
                 "its inputs are run first, each input the campaign keeps is saved there at "
                 "once, so a later run resumes from it, and --jobs workers share it; the other "
                 "folders' files seed the campaign.");
  app.add_option("--jobs,-j", o.jobs,
                 "Fuzz with this many workers at once, each with its own target (own port, own "
                 "restarts) and sharing the first --corpus folder (without one, a temporary "
                 "folder). --runs, --time and --max-findings apply to them all. Default: 1.")
      ->check(CLI::Range(1U, 256U));
  app.add_option("--progress", o.progress,
                 "How often the status line (exec/s of fuzzing alone, corpus, findings, "
                 "restarts, workers) is printed to stderr, e.g. 5s or 1m. Default: 5s.");
  app.add_option("--reply-timeout", o.reply_timeout,
                 "How long an owed reply may take before the server counts as hung. Default: 1s.");
  app.add_flag("--keep-going", o.keep_going,
               "Go on after a finding (the target is restarted) until the time, the runs or "
               "--max-findings run out.");
  app.add_option("--max-findings", o.max_findings,
                 "With --keep-going, stop after this many distinct findings. Default: no limit.");
  app.add_option("--minimise-time", o.minimise_time,
                 "How long to spend shrinking each finding by replays on fresh targets. "
                 "Default: 30s.");
  app.add_option("--probe-every", o.probe_every,
                 "A --target profile that declares exchanges over the transport of --mode is "
                 "fuzzed in its own protocol unless --service is given; its default exchange is "
                 "then tried on a fresh connection after this many inputs (and after the server "
                 "closes one). Default: 64.")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  app.add_option("--out", o.out,
                 "The folder where each finding is written as a scenario that `sockspec run` "
                 "replays. Default: ./fuzz-findings.");
  app.add_option("--json", o.json,
                 "Write the summary and the findings to this JSON file ('-': stdout; the "
                 "campaign's own lines then go to stderr).");
  app.add_option("--sarif", o.sarif,
                 "Write the findings as SARIF 2.1.0 to this file ('-': stdout), for code "
                 "scanning tools: one result per finding, its replay scenario as the location.");
  app.add_option("--coverage", o.coverage,
                 "Coverage-guided: 'afl' for a server built with AFL++'s compiler wrapper "
                 "(afl-clang-fast): sockspec reads its edge map while it runs and keeps message "
                 "sequences that reach new edges or states (one connection per sequence in "
                 "persistent mode).")
      ->check(CLI::IsMember({"afl"}));
}

void add_report_merge_options(CLI::App& app, ReportMergeOptions& o) {
  app.add_option("reports", o.inputs,
                 "The JSON reports of the shards (`sockspec run --shard K/N --json FILE`), in any "
                 "order. They must come from one version of sockspec, with the same targets and "
                 "--strict, and share no case.")
      ->required();
  add_report_options(app, o.junit, o.json, o.html);
}

void add_profiles_options(CLI::App& app, ProfilesOptions& o) {
  app.add_flag("--json", o.json,
               "Print them as a JSON array instead: name, role, transports, capabilities and "
               "file of each.");
}

void add_completion_options(CLI::App& app, CompletionOptions& o) {
  app.add_option("shell", o.shell, "The shell: bash or zsh.")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh"}));
}

// Every subcommand and flag of `sockspec`, defined once for parsing and for the man page and
// completions (describe_command_line). Hidden commands sit in the group "".
void define_command_line(CLI::App& app, CommandLine& c, StabilityFlags& stability) {
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text,
                       "Print the version and the revision of the built-in pack, and where the "
                       "pack and the profiles are.");
  app.footer(fmt::format("Environment:\n  {}: {}\n  {}: {}", kPackDirVar.name, kPackDirVar.help,
                         kProfileDirVar.name, kProfileDirVar.help));
  CLI::App* run = app.add_subcommand("run", "Run scenarios against targets and report verdicts.");
  add_run_options(*run, c.run, stability);
  run->footer(std::string(kExitCodesHelp));
  add_list_options(*app.add_subcommand("list", "List the scenarios a selection picks."), c.list);
  add_profiles_options(
      *app.add_subcommand("profiles",
                          "List the built-in profiles (--target NAME): name, role, transports, "
                          "capabilities and file."),
      c.profiles);
  add_validate_options(
      *app.add_subcommand("validate", "Check scenario and profile files; print every error."),
      c.validate);
  add_show_options(*app.add_subcommand("show", "Print the selected scenarios as loaded (YAML)."),
                   c.show);
  add_fuzz_options(
      *app.add_subcommand("fuzz",
                          "Fuzz a live server: send it mutated inputs and report crashes, hangs "
                          "and wrong answers as replayable scenarios."),
      c.fuzz);
  CLI::App* report = app.add_subcommand("report", "Work with reports of earlier runs.");
  report->require_subcommand(1);
  CLI::App* merge = report->add_subcommand(
      "merge",
      "Merge the JSON reports of a sharded run (--shard K/N) into one report, as if the cases had "
      "run in one `sockspec run`: print its summary line and write the reports asked for.");
  add_report_merge_options(*merge, c.report_merge);
  merge->footer(
      "Exit codes: as `sockspec run` over all the cases: 0 nothing failed; 1 a fail, xpass or "
      "flaky case (or non-strict with --strict); 2 bad flags, or reports that cannot be read or "
      "do not belong together; 3 an error case, or a report that cannot be written; 130 a shard "
      "was interrupted.");
  add_completion_options(
      *app.add_subcommand("completion", "Print the shell completion script.")->group(""),
      c.completion);
  app.add_subcommand("man", "Print the man page (roff).")->group("");
}

// The values of a CLI::IsMember check, from the option's type name ("TEXT:{a,b}"); none when it
// has no such check. A choice that holds a comma ("tcp,udp") comes out as its parts.
std::vector<std::string> choices_of(const CLI::Option& opt) {
  const std::string type = opt.get_type_name();
  const std::size_t open = type.find(":{");
  const std::size_t close = type.find('}', open);
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos) return out;
  const std::string list = type.substr(open + 2, close - open - 2);
  for (std::size_t start = 0; start <= list.size();) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string item = list.substr(start, comma - start);
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end())
      out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

FlagDoc describe_option(const CLI::Option& opt) {
  FlagDoc f;
  f.positional = !opt.nonpositional();
  if (f.positional) {
    f.names.push_back(opt.get_name());
  } else {
    for (const std::string& n : opt.get_lnames()) f.names.push_back("--" + n);
    for (const std::string& n : opt.get_snames()) f.names.push_back("-" + n);
  }
  if (opt.get_type_size_max() > 0) {
    const std::string type = opt.get_type_name();
    f.value = type.substr(0, type.find(':'));
  }
  f.choices = choices_of(opt);
  f.profiles = std::find(f.names.begin(), f.names.end(), "--target") != f.names.end();
  f.repeatable = opt.get_expected_max() > 1 ||
                 opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  f.help = opt.get_description();
  return f;
}

std::vector<FlagDoc> describe_options(const CLI::App& app) {
  std::vector<FlagDoc> out;
  for (const CLI::Option* opt : app.get_options()) out.push_back(describe_option(*opt));
  return out;
}

}  // namespace

ProgramDoc describe_command_line() {
  CLI::App app{kProgramHelp, "sockspec"};
  CommandLine c;
  StabilityFlags stability;
  define_command_line(app, c, stability);
  ProgramDoc doc;
  doc.name = app.get_name();
  doc.help = app.get_description();
  doc.about = kProgramAbout;
  doc.flags = describe_options(app);
  doc.environment = {kPackDirVar, kProfileDirVar};
  doc.exit_codes = kExitCodesHelp;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden
    // A command of two words ("report merge") is documented as its second word's.
    const auto nested = sub->get_subcommands([](const CLI::App*) { return true; });
    for (const CLI::App* leaf : nested.empty() ? std::vector{sub} : nested) {
      CommandDoc command;
      command.name = sub->get_name();
      command.subcommand = leaf == sub ? std::string() : leaf->get_name();
      command.help = leaf->get_description();
      command.footer = leaf->get_footer();
      command.flags = describe_options(*leaf);
      doc.commands.push_back(std::move(command));
    }
  }
  return doc;
}

CommandLine parse_command_line(int argc, const char* const* argv) {
  CLI::App app{kProgramHelp, "sockspec"};
  CommandLine c;
  StabilityFlags stability;
  define_command_line(app, c, stability);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    c.exit_code = app.exit(e);
    return c;
  } catch (const CLI::CallForVersion& e) {
    c.exit_code = app.exit(e);  // the version on stdout, 0
    return c;
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);  // the message and a usage hint, on stderr
    c.exit_code = kExitUsage;
    return c;
  }
  c.command = app.get_subcommands().front()->get_name();
  std::string problem;
  if (c.command == "run") {
    problem = resolve_stability(stability, c.run);
    if (problem.empty()) {
      problem = one_report_on_stdout(
          {{"--junit", &c.run.junit}, {"--json", &c.run.json}, {"--html", &c.run.html}});
    }
  } else if (c.command == "fuzz") {
    problem = one_report_on_stdout({{"--json", &c.fuzz.json}, {"--sarif", &c.fuzz.sarif}});
  } else if (c.command == "report") {
    c.command = "report merge";
    problem = one_report_on_stdout({{"--junit", &c.report_merge.junit},
                                    {"--json", &c.report_merge.json},
                                    {"--html", &c.report_merge.html}});
  }
  if (!problem.empty()) {
    fmt::print(stderr, "sockspec {}: {}\n", c.command, problem);
    c.exit_code = kExitUsage;
  }
  return c;
}

}  // namespace sockspec::cli
