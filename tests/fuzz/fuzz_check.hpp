// Checks for the fuzz harnesses. They must hold in every build: the ordinary build is
// RelWithDebInfo, where NDEBUG turns assert() off, and the regression replay runs there.
#pragma once

#include <cstdio>
#include <cstdlib>

// On failure, prints where and what and aborts, which libFuzzer reports as a crash and saves
// the input that caused it.
#define FUZZ_CHECK(condition, what)                                                               \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s (%s)\n", __FILE__, __LINE__, #condition, \
                   what);                                                                         \
      std::abort();                                                                               \
    }                                                                                             \
  } while (false)
