// FUZZ_CHECK(cond, msg): a property check that stays on in every build (unlike assert, which
// NDEBUG removes) and aborts, so libFuzzer and the replays report the input that broke it.
#pragma once

#include <cstdio>
#include <cstdlib>

// Prints "fuzz property failed: <msg> (<cond>) at file:line" on stderr, then aborts.
#define FUZZ_CHECK(cond, msg)                                                                \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "fuzz property failed: %s (%s) at %s:%d\n", msg, #cond, __FILE__, \
                   __LINE__);                                                                \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
