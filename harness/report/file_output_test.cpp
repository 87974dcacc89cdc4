// Tests of atomic report files: the error names the path and no temp file is left behind; "-"
// is stdout.
#include "harness/report/file_output.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "harness/report/html.hpp"
#include "harness/report/json.hpp"
#include "harness/report/junit.hpp"
#include "harness/report/test_support.hpp"

namespace sockspec::report {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct FileReporter {
  const char* name;
  std::function<std::unique_ptr<Reporter>(std::string)> make;
};
const FileReporter kFileReporters[] = {
    {"junit", make_junit_reporter}, {"json", make_json_reporter}, {"html", make_html_reporter}};

TEST(FileOutput, MissingDirectoryIsAnErrorNamingThePath) {
  for (const FileReporter& f : kFileReporters) {
    SCOPED_TRACE(f.name);
    const std::string path = "/nonexistent/dir/x.xml";
    const net::Status status = f.make(path)->run_end(testing::sample_run());
    ASSERT_FALSE(status.ok());
    EXPECT_THAT(status.error().message, HasSubstr(path));
    EXPECT_THAT(status.error().message, HasSubstr("No such file or directory"));
    EXPECT_FALSE(fs::exists(path + ".tmp"));
  }
}

TEST(FileOutput, FailedRenameLeavesNoTempFile) {
  for (const FileReporter& f : kFileReporters) {
    SCOPED_TRACE(f.name);
    testing::TempDir dir;
    const fs::path target = dir.path() / "report";
    fs::create_directories(target / "not-empty");  // a file cannot be renamed over it
    const net::Status status = f.make(target.string())->run_end(testing::sample_run());
    ASSERT_FALSE(status.ok());
    EXPECT_THAT(status.error().message, HasSubstr(target.string()));
    EXPECT_FALSE(fs::exists(target.string() + ".tmp"));
    EXPECT_TRUE(fs::is_directory(target / "not-empty"));
  }
}

TEST(FileOutput, ReplacesAnOldFileWhole) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "out.txt";
  std::ofstream(path) << "old contents, longer than the new ones";
  ASSERT_TRUE(write_file_atomically(path.string(), "new").ok());
  EXPECT_EQ(testing::read_file(path), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(CheckWritable, AFileInAFolderThatExistsLeavingNothingBehind) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "report.json";
  EXPECT_TRUE(check_writable(path.string()).ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 0);
  std::ofstream(path.string() + ".tmp") << "someone's";  // there before: kept
  EXPECT_TRUE(check_writable(path.string()).ok());
  EXPECT_EQ(testing::read_file(path.string() + ".tmp"), "someone's");
}

TEST(CheckWritable, AFolderOrAMissingFolderIsAnErrorNamingThePath) {
  testing::TempDir dir;
  const net::Status folder = check_writable(dir.path().string());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().message, "write " + dir.path().string() + ": a folder, not a file");
  const std::string nowhere = (dir.path() / "nowhere" / "x.json").string();
  const net::Status missing = check_writable(nowhere);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "write " + nowhere + ": No such file or directory (ENOENT)");
}

// Runs `write` with stdout sent to a file of `dir`; returns what it wrote there.
std::string stdout_of(const testing::TempDir& dir, const std::function<void()>& write) {
  const std::string path = (dir.path() / "stdout").string();
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ::dup2(file, STDOUT_FILENO);
  ::close(file);
  write();
  std::fflush(stdout);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  return testing::read_file(path);
}

TEST(FileOutput, DashIsStdoutForEveryReport) {
  for (const FileReporter& f : kFileReporters) {
    SCOPED_TRACE(f.name);
    testing::TempDir dir;
    const fs::path cwd = fs::current_path();
    fs::current_path(dir.path());  // a file named "-" would appear here
    EXPECT_TRUE(check_writable("-").ok());
    net::Status status;
    const std::string out =
        stdout_of(dir, [&] { status = f.make("-")->run_end(testing::sample_run()); });
    fs::current_path(cwd);
    EXPECT_TRUE(status.ok()) << status.error().message;
    EXPECT_THAT(out, HasSubstr("str/half-close"));
    EXPECT_FALSE(fs::exists(dir.path() / "-"));
    EXPECT_FALSE(fs::exists(dir.path() / "-.tmp"));
  }
}

}  // namespace
}  // namespace sockspec::report
