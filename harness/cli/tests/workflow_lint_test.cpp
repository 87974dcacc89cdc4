// Lint of the workflow files users copy (.github/workflows/, examples/): they cannot run here, so
// this checks what can be checked: each parses as a GitHub Actions workflow, every action is
// pinned to a version, every job it needs exists, every script of this repository it runs
// exists, and every flag it gives sockspec is one sockspec's help lists.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "targets/testing/child_process.hpp"

namespace sockspec {
namespace {

namespace fs = std::filesystem;
using ::testing::IsEmpty;

const fs::path kSource = SOCKSPEC_SOURCE_DIR;

std::vector<fs::path> workflow_files() {
  std::vector<fs::path> files;
  for (const fs::path& dir : {kSource / ".github/workflows", kSource / "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.path().extension() == ".yml" || entry.path().extension() == ".yaml")
        files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every `run:` script of the workflow, with its job's name.
std::vector<std::pair<std::string, std::string>> scripts(const YAML::Node& workflow) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& job : workflow["jobs"]) {
    for (const auto& step : job.second["steps"]) {
      if (step["run"]) out.emplace_back(job.first.as<std::string>(), step["run"].as<std::string>());
    }
  }
  return out;
}

// What one workflow gets wrong as a workflow, one line each.
std::vector<std::string> structure_problems(const YAML::Node& w) {
  std::vector<std::string> problems;
  for (const char* key : {"name", "on", "jobs"}) {
    if (!w[key]) problems.push_back(std::string("no '") + key + "'");
  }
  if (!w["jobs"].IsMap()) return problems;
  std::set<std::string> jobs;
  for (const auto& job : w["jobs"]) jobs.insert(job.first.as<std::string>());
  for (const auto& job : w["jobs"]) {
    const std::string name = job.first.as<std::string>();
    const YAML::Node j = job.second;
    if (!j["runs-on"]) problems.push_back(name + ": no 'runs-on'");
    if (!j["steps"].IsSequence() || j["steps"].size() == 0) problems.push_back(name + ": no steps");
    if (const YAML::Node needs = j["needs"]) {
      const auto need = needs.IsSequence() ? needs.as<std::vector<std::string>>()
                                           : std::vector{needs.as<std::string>()};
      for (const std::string& n : need) {
        if (!jobs.contains(n)) problems.push_back(name + ": needs unknown job '" + n + "'");
      }
    }
    for (const auto& step : j["steps"]) {
      if (static_cast<bool>(step["run"]) == static_cast<bool>(step["uses"])) {
        problems.push_back(name + ": a step needs exactly one of 'run' and 'uses'");
      }
      if (step["uses"] && !std::regex_search(step["uses"].as<std::string>(), std::regex("@v\\d"))) {
        problems.push_back(name + ": '" + step["uses"].as<std::string>() + "' is not pinned");
      }
    }
  }
  return problems;
}

// The repository paths a script names (ci/test, .ci/run, third_party/sockspec/ci/setup...).
std::vector<std::string> repository_paths(const std::string& script) {
  static const std::regex kPath(
      R"((?:^|[\s"'=])(?:third_party/sockspec/)?((?:\.ci|ci|bench|\.clusterfuzzlite|conformance|corpora)/[\w./-]*[\w/]))");
  std::vector<std::string> paths;
  for (std::sregex_iterator it(script.begin(), script.end(), kPath), end; it != end; ++it) {
    paths.push_back((*it)[1].str());
  }
  return paths;
}

// Each sockspec command line of a script, continuations joined: its words after "sockspec".
std::vector<std::vector<std::string>> sockspec_commands(std::string script) {
  script = std::regex_replace(script, std::regex("\\\\\n"), " ");
  std::vector<std::vector<std::string>> commands;
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);) {
    const std::smatch m = [&] {
      std::smatch found;
      std::regex_search(line, found,
                        std::regex(R"((?:^|\s)(?:build/default/bin/)?sockspec\s+(.*))"));
      return found;
    }();
    if (m.empty()) continue;
    std::istringstream words(m[1].str());
    std::vector<std::string> command;
    for (std::string word; words >> word;) command.push_back(word);
    commands.push_back(command);
  }
  return commands;
}

// sockspec's help for a subcommand ("run", "report merge").
std::string help_of(const std::vector<std::string>& subcommand) {
  std::vector<std::string> argv{testing::program_path("sockspec")};
  argv.insert(argv.end(), subcommand.begin(), subcommand.end());
  argv.push_back("--help");
  auto r = testing::run(argv, {}, std::chrono::seconds(20));
  return r ? r->out : std::string();
}

TEST(Workflows, ThereAreTheOnesTheReadmeNames) {
  const std::vector<fs::path> files = workflow_files();
  for (const char* name :
       {".github/workflows/ci.yml", ".github/workflows/cflite_pr.yml",
        ".github/workflows/cflite_batch.yml", "examples/github-actions/conformance.yml"}) {
    EXPECT_TRUE(std::find(files.begin(), files.end(), kSource / name) != files.end()) << name;
  }
}

TEST(Workflows, EachIsAWorkflowWithPinnedActionsAndKnownJobs) {
  for (const fs::path& file : workflow_files()) {
    SCOPED_TRACE(file.string());
    YAML::Node w;
    ASSERT_NO_THROW(w = YAML::LoadFile(file.string()));
    EXPECT_THAT(structure_problems(w), IsEmpty());
  }
}

TEST(Workflows, EveryScriptTheyRunExists) {
  std::size_t checked = 0;
  for (const fs::path& file : workflow_files()) {
    for (const auto& [job, script] : scripts(YAML::LoadFile(file.string()))) {
      for (const std::string& path : repository_paths(script)) {
        EXPECT_TRUE(fs::exists(kSource / path)) << file << ", job " << job << ": " << path;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 4U);  // ci/setup, ci/run-suite, .ci/run, ...
}

TEST(Workflows, EverySockspecFlagTheyGiveIsInItsHelp) {
  std::size_t checked = 0;
  for (const fs::path& file : workflow_files()) {
    for (const auto& [job, script] : scripts(YAML::LoadFile(file.string()))) {
      for (const std::vector<std::string>& words : sockspec_commands(script)) {
        std::vector<std::string> subcommand;
        for (const std::string& w : words) {
          if (w.starts_with("-") || w.find_first_of("/.\"$") != std::string::npos) break;
          subcommand.push_back(w);
        }
        ASSERT_FALSE(subcommand.empty()) << file << ": " << job;
        const std::string help = help_of(subcommand);
        ASSERT_FALSE(help.empty())
            << file << ", job " << job << ": no help for 'sockspec " << subcommand[0] << "'";
        for (const std::string& w : words) {
          if (!w.starts_with("--")) continue;
          const std::string flag = w.substr(0, w.find('='));
          EXPECT_NE(help.find(flag), std::string::npos)
              << file << ", job " << job << ": sockspec " << subcommand[0] << " has no " << flag;
          ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 10U);
}

TEST(Workflows, TheLinterCatchesWhatItLooksFor) {
  // A workflow with each mistake once: the checks above would pass anything if these did not.
  const YAML::Node bad = YAML::Load(R"(
name: bad
on: push
jobs:
  a:
    needs: nowhere
    steps:
      - uses: actions/checkout
      - run: ci/not-a-script
        uses: x@v1
)");
  EXPECT_THAT(structure_problems(bad),
              ::testing::UnorderedElementsAre("a: no 'runs-on'", "a: needs unknown job 'nowhere'",
                                              "a: 'actions/checkout' is not pinned",
                                              "a: a step needs exactly one of 'run' and 'uses'"));
  EXPECT_EQ(repository_paths("third_party/sockspec/ci/setup && .ci/run\nmake ci/x.sh"),
            (std::vector<std::string>{"ci/setup", ".ci/run", "ci/x.sh"}));
  EXPECT_EQ(sockspec_commands("x\nsockspec run a \\\n  --json b\n"),
            (std::vector<std::vector<std::string>>{{"run", "a", "--json", "b"}}));
}

}  // namespace
}  // namespace sockspec
