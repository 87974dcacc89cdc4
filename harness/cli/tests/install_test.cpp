// `cmake --install` gives a relocatable tool: installed into a temporary prefix, the prefix moved
// elsewhere, the tool run with a bare environment from a folder outside the source and build
// trees finds the moved pack and profiles, prints its version, lists and runs a scenario against
// a built-in reference profile; and the man page and completions it installed work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "targets/testing/child_process.hpp"
#include "targets/testing/temp_dir.hpp"

namespace sockspec {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;
namespace fs = std::filesystem;
using std::chrono::seconds;

// One short scenario of the built-in pack that the reference server passes over IPv4.
constexpr const char* kScenario = "svc/echo-tcp";

// A prefix installed and then moved for each test (ctest runs each test in a process of its own),
// removed at the end. A failed install fails the test.
class InstalledTool : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(root_.path().empty());
    const fs::path staged = fs::path(root_.path()) / "staged";
    auto installed = testing::run(
        {SOCKSPEC_CMAKE_COMMAND, "--install", SOCKSPEC_BUILD_DIR, "--prefix", staged.string()}, {},
        seconds(120));
    ASSERT_TRUE(installed.ok()) << installed.error().message;
    ASSERT_TRUE(installed->status.exited(0)) << installed->out << installed->err;
    fs::create_directories(moved().parent_path());
    fs::rename(staged, moved());
    fs::create_directory(work());
  }

  [[nodiscard]] fs::path moved() const { return fs::path(root_.path()) / "moved" / "prefix"; }
  [[nodiscard]] fs::path work() const { return fs::path(root_.path()) / "work"; }

  // `args` run by `env -i` (no SOCKSPEC_* variable, PATH without the build or source tree) in a
  // folder of the temporary root.
  [[nodiscard]] testing::RunResult run_bare(std::vector<std::string> args,
                                            const std::string& path = "/usr/bin:/bin") const {
    args.insert(args.begin(), {"/usr/bin/env", "-i", "-C", work().string(), "PATH=" + path,
                               "HOME=" + work().string()});
    auto r = testing::run(std::move(args), {}, seconds(60));
    if (r.ok()) return std::move(r).value();
    ADD_FAILURE() << r.error().message;
    return {};
  }
  [[nodiscard]] testing::RunResult sockspec(std::vector<std::string> args) const {
    args.insert(args.begin(), (moved() / "bin" / "sockspec").string());
    return run_bare(std::move(args));
  }

  testing::TempDir root_;
};

TEST_F(InstalledTool, InstallsTheProgramsPackProfilesManPageAndCompletions) {
  for (const char* file :
       {"bin/sockspec", "bin/sockspec-server", "bin/sockspec-client",
        "share/sockspec/conformance/tcp", "share/sockspec/profiles/reference-epoll.yaml",
        "share/sockspec/profiles/line.exchanges.yaml", "share/man/man1/sockspec.1",
        "share/bash-completion/completions/sockspec", "share/zsh/site-functions/_sockspec"}) {
    EXPECT_TRUE(fs::exists(moved() / file)) << file;
  }
  std::size_t programs = 0;
  for (const auto& entry : fs::directory_iterator(moved() / "bin")) {
    ++programs;
    EXPECT_THAT(entry.path().filename().string(), StartsWith("sockspec")) << entry.path();
  }
  EXPECT_EQ(programs, 3U);  // no tests, benchmarks or broken targets
  EXPECT_FALSE(fs::exists(moved() / "share/sockspec/profiles/thirdparty"));
  EXPECT_FALSE(fs::exists(moved() / "share/sockspec/conformance/NEEDS.md"));
  std::ifstream man(moved() / "share/man/man1/sockspec.1");
  std::stringstream page;
  page << man.rdbuf();
  EXPECT_THAT(page.str(), HasSubstr(".TH SOCKSPEC 1 \"\" \"sockspec 0.1.0\""));
  EXPECT_THAT(page.str(), HasSubstr(".SS profiles\n"));
}

TEST_F(InstalledTool, VersionNamesTheMovedPackAndItsRevisionEqualsTheSourceTrees) {
  const auto r = sockspec({"--version"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  const std::string first = r.out.substr(0, r.out.find('\n'));
  EXPECT_THAT(first, MatchesRegex("sockspec 0\\.1\\.0 \\(pack [0-9a-f]{12}\\)"));
  EXPECT_THAT(r.out, HasSubstr("\npack: " + (moved() / "share/sockspec/conformance").string()));
  EXPECT_THAT(r.out, HasSubstr("\nprofiles: " + (moved() / "share/sockspec/profiles").string()));
  // The build tree's binary reads the source tree's pack: the same scenarios, the same revision.
  const auto source = run_bare({testing::program_path("sockspec"), "--version"});
  EXPECT_EQ(source.out.substr(0, source.out.find('\n')), first);
  EXPECT_THAT(source.out, HasSubstr("\npack: " SOCKSPEC_SOURCE_DIR "/conformance\n"));
}

TEST_F(InstalledTool, ListsTheMovedPack) {
  const auto r = sockspec({"list", "--id", kScenario, "--json"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"id\": \"" + std::string(kScenario) + "\""));
  EXPECT_THAT(r.out, HasSubstr("\"file\": \"" + (moved() / "share/sockspec/conformance").string()));
  const auto all = sockspec({"list"});
  EXPECT_TRUE(all.status.exited(0)) << all.err;
  EXPECT_THAT(all.out, HasSubstr(kScenario));
}

TEST_F(InstalledTool, RunsAScenarioAgainstABuiltInReferenceProfile) {
  const auto r = sockspec({"run", "--id", kScenario, "--target", "reference-epoll", "--family",
                           "ipv4", "--timings", "none"});
  EXPECT_TRUE(r.status.exited(0)) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 passed, 0 failed"));
  const auto profiles = sockspec({"profiles"});
  EXPECT_TRUE(profiles.status.exited(0)) << profiles.err;
  EXPECT_THAT(profiles.out,
              HasSubstr((moved() / "share/sockspec/profiles/reference-epoll.yaml").string()));
}

TEST_F(InstalledTool, BashCompletionCompletesFlagsChoicesAndProfileNames) {
  const std::string script = (moved() / "share/bash-completion/completions/sockspec").string();
  const auto complete = [&](const std::string& words, int cword) {
    return run_bare({"/bin/bash", "-c",
                     "source \"$0\"; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                         std::to_string(cword) + "; _sockspec; echo \"${COMPREPLY[*]}\"",
                     script},
                    (moved() / "bin").string() + ":/usr/bin:/bin")
        .out;
  };
  EXPECT_EQ(complete("sockspec pro", 1), "profiles\n");
  EXPECT_EQ(complete("sockspec run --col", 2), "--color\n");
  EXPECT_EQ(complete("sockspec run --color al", 3), "always\n");
  EXPECT_THAT(complete("sockspec run --target reference-e", 3), HasSubstr("reference-epoll"));
  EXPECT_THAT(complete("sockspec list --", 2), Not(HasSubstr("--target")));
}

}  // namespace
}  // namespace sockspec
