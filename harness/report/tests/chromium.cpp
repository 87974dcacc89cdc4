// Headless Chromium for the HTML report's tests (see chromium.hpp).
#include "harness/report/tests/chromium.hpp"

#include "harness/report/text.hpp"

namespace sockspec::report::testing {

bool have_chromium() {
  return run_command("command -v chromium").status == 0;
}

CommandOutput dump_dom(const std::filesystem::path& page,
                       const std::filesystem::path& profile_dir) {
  // --no-sandbox: the tests may run as root (containers), where the sandbox refuses to start.
  return run_command(
      "(timeout 60 chromium --headless=new --disable-gpu --no-sandbox "
      "--no-first-run --user-data-dir=" +
      shell_quote(profile_dir.string()) + " --dump-dom " + shell_quote("file://" + page.string()) +
      " 2>/dev/null)");
}

}  // namespace sockspec::report::testing
