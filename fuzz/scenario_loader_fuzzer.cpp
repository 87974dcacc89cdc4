// Fuzz harness of the scenario loader: any text either loads, and then re-serialises with
// to_yaml() into YAML that loads back equal, or fails with a "name:line:col: message" error.
//
// `file:` data reads files, resolved against the scenario's folder and confined to it by the
// loader itself. The scenario is named as if it lived in a private temp folder holding one small
// file, so every input reaches that confinement: one that reads /dev/zero, /dev/stdin or any
// file outside is a bug the fuzzer finds (memory, a hang), not something the harness hides.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "harness/scenario/loader.hpp"

namespace {

using namespace sockspec;

// max_len in corpora/scenario_loader.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;

// Removes `dir` once this process has ended, however it ends: libFuzzer's timeout and crash
// paths call _Exit and skip every destructor. A child made now, while the process has one
// thread, waits for the end of a pipe only this process holds open, then removes the folder.
void remove_when_this_process_ends(const std::filesystem::path& dir) {
  int fds[2] = {-1, -1};
  FUZZ_CHECK(::pipe2(fds, O_CLOEXEC) == 0, "pipe2");
  const pid_t pid = ::fork();
  FUZZ_CHECK(pid >= 0, "fork");
  if (pid == 0) {
    ::close(fds[1]);
    ::setsid();  // a Ctrl-C that ends the fuzzer's process group must not end the cleaner
    char byte = 0;
    while (::read(fds[0], &byte, 1) < 0 && errno == EINTR) {
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    ::_exit(0);
  }
  ::close(fds[0]);  // fds[1] stays open (close-on-exec) for the life of this process
}

// The folder scenarios are "in": empty but for data.bin; removed when the process ends.
struct Sandbox {
  std::filesystem::path dir;
  std::string name;

  Sandbox() {
    std::string templ = (std::filesystem::temp_directory_path() / "sockspec-fuzz-XXXXXX").string();
    FUZZ_CHECK(::mkdtemp(templ.data()) != nullptr, "mkdtemp");
    dir = templ;
    name = (dir / "fuzz.yaml").string();
    std::ofstream(dir / "data.bin", std::ios::binary) << "PING\r\n";
    remove_when_this_process_ends(dir);
  }
};

const Sandbox& sandbox() {
  static const Sandbox s;
  return s;
}

void check_error(const std::string& message, const std::string& name) {
  FUZZ_CHECK(message.starts_with(name + ":"), "a load error starts with the file name");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string& name = sandbox().name;
  const auto loaded = scenario::load_scenario_text(text, name);
  if (!loaded) {
    check_error(loaded.error().message, name);
    return 0;
  }
  const std::string yaml = scenario::to_yaml(*loaded);
  const auto again = scenario::load_scenario_text(yaml, name);
  if (!again) {
    std::fprintf(stderr, "to_yaml gave:\n%s\nwhich fails: %s\n", yaml.c_str(),
                 again.error().message.c_str());
  }
  FUZZ_CHECK(again.ok(), "a loaded scenario re-serialises to YAML that loads");
  FUZZ_CHECK(*again == *loaded, "a loaded scenario re-serialises to an equal scenario");
  return 0;
}
