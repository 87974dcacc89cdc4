// The floor of fuzz/bench: a harness that does nothing, so its exec/s is libFuzzer's own ceiling
// (mutation, the call, feature collection) on this machine, measured beside the real harnesses.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* /*data*/, std::size_t /*size*/) {
  return 0;
}
