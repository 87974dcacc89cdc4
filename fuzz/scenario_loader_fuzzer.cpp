// Fuzz harness of the scenario loader: any text either loads, and then re-serialises with
// to_yaml() into YAML that loads back equal, or fails with a "name:line:col: message" error.
//
// `file:` data reads files, resolved against the scenario's folder (an absolute path or ".."
// anywhere). So that fuzzing never reads /dev/zero, /dev/stdin or a large file, the scenario is
// named as if it lived in a private empty temp folder holding one small file, and an input that
// may hold a `file:` key (the text "file", or a backslash that a double-quoted key could use to
// spell it) is first parsed by yaml-cpp: it is kept only if every `file:` value is a plain name
// in that folder.
#include <yaml-cpp/yaml.h>

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
// Nodes the `file:` check visits at most: aliases can make a small text a huge tree.
constexpr int kMaxNodes = 20000;

// The folder scenarios are "in": empty but for data.bin; removed at exit.
struct Sandbox {
  std::filesystem::path dir;
  std::string name;

  Sandbox() {
    std::string templ = (std::filesystem::temp_directory_path() / "sockspec-fuzz-XXXXXX").string();
    FUZZ_CHECK(::mkdtemp(templ.data()) != nullptr, "mkdtemp");
    dir = templ;
    name = (dir / "fuzz.yaml").string();
    std::ofstream(dir / "data.bin", std::ios::binary) << "PING\r\n";
  }
  ~Sandbox() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
};

const Sandbox& sandbox() {
  static const Sandbox s;
  return s;
}

// A `file:` value that stays inside the sandbox: letters, digits, '.', '_', '-'; not "..".
bool safe_file_name(std::string_view v) {
  if (v.empty() || v.size() > 64 || v == "." || v == "..") return false;
  for (const char c : v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// False when some map of `node` has a `file` key whose value is not a safe name.
bool files_are_safe(const YAML::Node& node, int& budget) {
  if (--budget < 0) return false;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (!files_are_safe(item, budget)) return false;
    }
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      if (kv.first.IsScalar() && kv.first.Scalar() == "file" &&
          !(kv.second.IsScalar() && safe_file_name(kv.second.Scalar()))) {
        return false;
      }
      if (!files_are_safe(kv.first, budget) || !files_are_safe(kv.second, budget)) return false;
    }
  }
  return true;
}

// True when loading `text` cannot read anything outside the sandbox.
bool reads_only_sandbox(std::string_view text) {
  if (text.find("file") == std::string_view::npos && text.find('\\') == std::string_view::npos) {
    return true;  // no way to spell the key
  }
  try {
    int budget = kMaxNodes;
    return files_are_safe(YAML::Load(std::string(text)), budget);
  } catch (const YAML::Exception&) {
    return true;  // the loader fails on the same syntax error before reading anything
  }
}

void check_error(const std::string& message, const std::string& name) {
  FUZZ_CHECK(message.starts_with(name + ":"), "a load error starts with the file name");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!reads_only_sandbox(text)) return -1;
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
