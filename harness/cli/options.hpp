// The options of each `sockspec` subcommand, one struct each, beside the function that parses
// the command line (STYLE.md 10). CLI11 stays inside options.cpp: it is slow to compile, so one
// file of the program includes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/cli/command_line_doc.hpp"
#include "harness/cli/one_line.hpp"
#include "harness/engine/plan.hpp"

namespace sockspec::cli {

// Where scenarios come from and which are chosen: shared by run, list and show.
struct SelectOptions {
  std::vector<std::string> paths;       // scenario files or folders; empty: the built-in pack
  std::vector<std::string> data_roots;  // --data-root: where `file:` data may also come from
  engine::Selection selection;
};

struct ListOptions {
  SelectOptions select;
  bool requirements = false;  // one line per requirement with its selected scenarios, not per one
  bool json = false;          // the selected scenarios as a JSON array
};

// `sockspec profiles`: the built-in profiles.
struct ProfilesOptions {
  bool json = false;
};

// `sockspec completion SHELL` (hidden): the completion script of bash or zsh.
struct CompletionOptions {
  std::string shell;
};

struct RunOptions {
  SelectOptions select;
  std::vector<std::string> targets;   // profile names, globs or files
  std::vector<std::string> commands;  // --cmd
  std::string ready = "ready-line";   // readiness of --cmd targets
  std::vector<std::string> connect;   // --connect host:port
  std::vector<std::string> families;  // --family: ipv4, ipv6; empty: both
  OneLineTarget one_line;             // what --cmd and --connect targets are
  unsigned jobs = 0;                  // 0: one per core
  std::string timings;                // "": the default record; "none": none
  std::string shard;
  // Stability mode (harness/engine/runner.hpp): runs of each case (--repeat N, --verify=N, or
  // engine::kDefaultVerifyRuns for --verify alone), and whether they are rounds (--verify).
  unsigned repeat = 1;
  bool verify = false;
  bool strict = false;
  std::string junit, json, html;  // "-": stdout (the console then goes to stderr)
  std::string color = "auto";
  bool verbose = false;
  bool quiet = false;
  [[nodiscard]] bool report_on_stdout() const { return junit == "-" || json == "-" || html == "-"; }
};

// `sockspec fuzz`: black-box mutation fuzzing of one live server.
struct FuzzOptions {
  std::string target;                // --target: a profile file or built-in name (one)
  std::string command;               // --cmd
  std::string ready = "ready-line";  // readiness of a --cmd target
  std::string connect;               // --connect HOST:PORT
  // Empty: not given, so echo, or the protocol of a --target profile that declares exchanges.
  std::string service;
  std::string mode = "persistent";  // persistent, per-connection, datagram
  std::string family = "ipv4";
  std::string time = "60s";
  std::uint64_t runs = 0;  // 0: no limit
  std::string seed;        // empty: a random one (printed)
  std::size_t max_len = 4096;
  std::vector<std::string> dicts;
  std::vector<std::string> seeds;  // scenario files/folders; empty: the built-in pack
  std::vector<std::string> data_roots;
  bool no_pack_seeds = false;
  std::vector<std::string> corpus;  // folders of input files
  unsigned jobs = 1;                // --jobs: workers, each with its own target
  std::string progress = "5s";      // --progress: how often the status line is printed
  std::string reply_timeout = "1s";
  bool keep_going = false;
  std::size_t max_findings = 0;
  std::string minimise_time = "30s";
  std::size_t probe_every = 0;  // protocol mode: 0 is blackbox::kDefaultProbeEvery
  std::string out = "fuzz-findings";
  std::string json;      // "-": stdout (the campaign's lines then go to stderr)
  std::string sarif;     // as json
  std::string coverage;  // --coverage: "" (blind) or "afl"
  [[nodiscard]] bool report_on_stdout() const { return json == "-" || sarif == "-"; }
};

// `sockspec report merge`: the JSON reports of shards made one report.
struct ReportMergeOptions {
  std::vector<std::string> inputs;  // JSON reports of `sockspec run --shard K/N --json`
  std::string junit, json, html;    // as RunOptions'
  [[nodiscard]] bool report_on_stdout() const { return junit == "-" || json == "-" || html == "-"; }
};

struct ValidateOptions {
  std::vector<std::string> paths;  // scenario files/folders and profile files
  std::vector<std::string> data_roots;
  std::vector<std::string> profiles;
};

struct ShowOptions {
  SelectOptions select;
};

// The command line, parsed: the subcommand and its options, or the exit code of a command line
// that ends the program, its output written (--help: the help on stdout, 0; a bad argument: the
// reason and a usage hint on stderr, kExitUsage).
struct CommandLine {
  std::string
      command;  // run, list, profiles, validate, show, fuzz, "report merge", completion, man
  RunOptions run;
  ListOptions list;
  ProfilesOptions profiles;
  CompletionOptions completion;
  ValidateOptions validate;
  ShowOptions show;
  FuzzOptions fuzz;
  ReportMergeOptions report_merge;
  std::optional<int> exit_code;
};
[[nodiscard]] CommandLine parse_command_line(int argc, const char* const* argv);

// The command line the parser accepts, as data: every visible subcommand and flag with its help
// (for the man page and the completions, so that they never drift from the parser).
[[nodiscard]] ProgramDoc describe_command_line();

}  // namespace sockspec::cli
