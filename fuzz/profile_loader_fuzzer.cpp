// Fuzz harness of the profile loader: any text either loads, and then its command renders with
// every placeholder given a value and prints itself, or fails with an error naming the file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "harness/scenario/data.hpp"
#include "harness/target/command.hpp"
#include "harness/target/profile.hpp"

namespace {

using namespace sockspec;

// max_len in corpora/profile_loader.options: libFuzzer's limit too (fuzz/CMakeLists.txt).
constexpr std::size_t kMaxInput = FUZZ_MAX_LEN;
const std::string kName = "fuzz/profile.yaml";

// A value for every placeholder a profile may use.
const scenario::TemplateVars& sample_vars() {
  static const scenario::TemplateVars vars = [] {
    scenario::TemplateVars v;
    for (const std::string_view name : target::profile_placeholders()) {
      v[std::string(name)] = "v-" + std::string(name);
    }
    return v;
  }();
  return vars;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = target::load_profile_text(text, kName);
  if (!loaded) {
    FUZZ_CHECK(loaded.error().message.starts_with(kName + ":"),
               "a load error starts with the file name");
    return 0;
  }
  FUZZ_CHECK(!loaded->argv.empty(), "a loaded profile has a command");
  const auto command = target::render_command(loaded->argv, loaded->env, sample_vars());
  if (!command) {
    std::fprintf(stderr, "render: %s\n", command.error().message.c_str());
  }
  FUZZ_CHECK(command.ok(), "a loaded profile's command renders when every placeholder has a value");
  FUZZ_CHECK(!command->to_string().empty(), "a command prints itself");
  return 0;
}
