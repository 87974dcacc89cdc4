// Loading a report in Debian's headless Chromium, for the browser test and the page-load
// benchmark.
#pragma once

#include <filesystem>

#include "harness/report/test_support.hpp"

namespace sockspec::report::testing {

// Whether `chromium` is on PATH (ci/setup installs it).
[[nodiscard]] bool have_chromium();

// Opens `page` (an absolute path) in a fresh headless Chromium whose profile lives in
// `profile_dir`, and returns the DOM as it is once the page's scripts ran (--dump-dom; Chromium's
// own log on stderr is dropped). `status` is not 0 when Chromium failed or ran over 60 s.
[[nodiscard]] CommandOutput dump_dom(const std::filesystem::path& page,
                                     const std::filesystem::path& profile_dir);

}  // namespace sockspec::report::testing
