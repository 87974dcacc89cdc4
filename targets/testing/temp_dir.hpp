// TempDir: a fresh folder for one test under gtest's temporary folder, removed with everything
// in it when the test ends, however it ends (nothing is left in /tmp). Header only.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace sockspec::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir();  // "/tmp/": ends with a separator
    if (!pattern.ends_with('/')) pattern += '/';
    pattern += "sockspec-test.XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;  // a test that made something unremovable leaves it: nothing to report to
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Empty when the folder could not be made (check with ASSERT_FALSE(dir.path().empty())).
  [[nodiscard]] const std::string& path() const { return path_; }
  // `name` inside the folder.
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace sockspec::testing
