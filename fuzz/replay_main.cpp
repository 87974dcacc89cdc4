// A main() for fuzz harnesses without libFuzzer: runs LLVMFuzzerTestOneInput on every file of the
// folders and files given (LLVMFuzzerInitialize first, if the harness defines it).
//
// Usage: fuzz-<name>-replay PATH...   Folders are read recursively, files in sorted order.
// Exit: 0 when at least one input ran and every path could be read; 1 otherwise (zero inputs,
// an unreadable path, no arguments). A property failure in the harness aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

// Runs the harness on one file; false when it cannot be read.
bool run_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::fprintf(stderr, "replay: error reading %s\n", path.c_str());
    return false;
  }
  // A heap copy of exactly the input's size, so ASan sees any read past its end.
  std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
  (void)LLVMFuzzerTestOneInput(input.data(), input.size());
  return true;
}

// The regular files under `path` (or `path` itself), sorted; false when it cannot be listed.
bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) {
    std::fprintf(stderr, "replay: %s: no such file or folder\n", path.c_str());
    return false;
  }
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) found.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "replay: cannot list %s: %s\n", path.c_str(), ec.message().c_str());
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) (void)LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 1;
  }
  bool ok = true;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) ok = collect(argv[i], files) && ok;
  std::size_t ran = 0;
  for (const fs::path& file : files) {
    if (run_file(file)) {
      ++ran;
    } else {
      ok = false;
    }
  }
  std::printf("replay: ran %zu inputs\n", ran);
  if (ran == 0) std::fprintf(stderr, "replay: no inputs found\n");
  return ok && ran > 0 ? 0 : 1;
}
