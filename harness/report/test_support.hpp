// Test helpers of the reporters: a hand-built run with every verdict and awkward bytes, a temp
// directory, console capture and running xmllint.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "harness/engine/result.hpp"

namespace sockspec::report::testing {

// Cases, in plan order (index: verdict): 0 pass, 1 fail (binary transcript, long stderr),
// 2 skip, 3 xfail, 4 xpass, 5 error, 6 non-strict. Targets "reference-epoll" and "broken-close".
[[nodiscard]] engine::RunResult sample_run();

// A stability-mode run (--verify, 3 runs of each case) of 2 cases: 0 flaky (runs 1 and 3 pass,
// run 2 fails with a diagnostic holding "<&>"), 1 pass in every run.
[[nodiscard]] engine::RunResult sample_stability_run();

// Sent bytes of case 1's first transcript entry: NUL, 0xff, invalid UTF-8, "</script>", "<&>\"'".
inline constexpr char kBinaryData[] = "\x00\xff\xc3(</script><&>\"'";
inline constexpr std::string_view kBinaryBytes{kBinaryData, sizeof kBinaryData - 1};

// A fresh directory under $TMPDIR, removed with its contents by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A FILE* whose contents can be read back: for the console reporter.
class Capture {
 public:
  Capture();
  [[nodiscard]] std::FILE* file() const { return file_.get(); }
  [[nodiscard]] std::string text() const;

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
};

[[nodiscard]] std::string read_file(const std::filesystem::path& path);

// How many times `needle` occurs in `text`, overlapping ones counted.
[[nodiscard]] std::size_t occurrences(std::string_view text, std::string_view needle);

struct CommandOutput {
  int status = -1;     // as from std::system / pclose; 0 = success
  std::string output;  // stdout and stderr together
};
[[nodiscard]] CommandOutput run_command(const std::string& command);
[[nodiscard]] bool have_xmllint();

}  // namespace sockspec::report::testing
