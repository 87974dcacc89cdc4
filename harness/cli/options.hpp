// The options of each `sockspec` subcommand, one struct each, beside the function that declares
// their flags (STYLE.md 10). CLI11 stays out of this header: it is slow to compile.
#pragma once

#include <string>
#include <vector>

#include "harness/engine/plan.hpp"

namespace CLI {
class App;
}

namespace sockspec::cli {

// Where scenarios come from and which are chosen: shared by run, list and show.
struct SelectOptions {
  std::vector<std::string> paths;  // scenario files or folders; empty: the built-in pack
  engine::Selection selection;
};

struct ListOptions {
  SelectOptions select;
  bool requirements = false;  // one line per requirement with its selected scenarios, not per one
};

struct RunOptions {
  SelectOptions select;
  std::vector<std::string> targets;   // profile names, globs or files
  std::vector<std::string> commands;  // --cmd
  std::string ready = "ready-line";   // readiness of --cmd targets
  std::vector<std::string> connect;   // --connect host:port
  unsigned jobs = 0;                  // 0: one per core
  std::string shard;
  bool strict = false;
  std::string junit, json, html;
  std::string color = "auto";
  bool verbose = false;
  bool quiet = false;
};

struct ValidateOptions {
  std::vector<std::string> paths;  // scenario files/folders and profile files
  std::vector<std::string> profiles;
};

struct ShowOptions {
  SelectOptions select;
};

void add_select_options(CLI::App& app, SelectOptions& o);
void add_run_options(CLI::App& app, RunOptions& o);
void add_validate_options(CLI::App& app, ValidateOptions& o);
void add_show_options(CLI::App& app, ShowOptions& o);
void add_list_options(CLI::App& app, ListOptions& o);

}  // namespace sockspec::cli
