// The spool that holds a run's scores between the scan and the write: every entry comes back
// once, in the order added, with its band, whether it stayed in memory or went to the file.
#include "engine/store/score_spool.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "leadscore/store.hpp"

using leadscore::store::ScoreSpool;

namespace {

// Adds `n` entries with leads 1..n, scores lead / 4 and bands cycling through three names,
// then checks that they come back exactly so.
void round_trip(std::size_t n) {
  const std::string hot = "hot", warm = "warm", cold = "cold";
  const std::string* bands[] = {&hot, &warm, &cold};
  ScoreSpool spool;
  for (std::size_t i = 1; i <= n; ++i) spool.add(std::int64_t(i), double(i) / 4, *bands[i % 3]);
  CHECK(spool.size() == n);
  std::size_t seen = 0, wrong = 0;
  spool.for_each([&](const ScoreSpool::Entry& e) {
    ++seen;
    if (e.lead != std::int64_t(seen) || e.score != double(seen) / 4 ||
        &spool.band(e.band) != bands[seen % 3]) {
      ++wrong;
    }
  });
  CHECK(seen == n);
  CHECK(wrong == 0);
}

}  // namespace

TEST_SUITE("store") {
  TEST_CASE("the score spool returns every entry in order") {
    SUBCASE("nothing") {
      round_trip(0);
    }
    SUBCASE("a few, all in memory") {
      round_trip(5);
    }
    // Blocks hold 65 536 entries: exactly one block, one more, and several blocks plus a part.
    SUBCASE("one full block") {
      round_trip(65536);
    }
    SUBCASE("a block and one") {
      round_trip(65537);
    }
    SUBCASE("several blocks through the temporary file") {
      round_trip(300001);
    }
  }

  TEST_CASE("a spool whose file cannot grow fails loudly instead of losing scores") {
    // As on a full disk: a child process caps its file size and fills a spool past it. It
    // exits 0 only if that raised a StoreError (2: no error at all; 3: scores lost silently).
    auto run_capped = [](rlim_t cap, int entries) {
      pid_t child = fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        signal(SIGXFSZ, SIG_IGN);  // a failed write instead of a signal
        rlimit limit{cap, cap};
        setrlimit(RLIMIT_FSIZE, &limit);
        const std::string hot = "hot";
        try {
          ScoreSpool spool;
          for (int i = 0; i < entries; ++i) spool.add(i, 1, hot);
          int seen = 0;
          spool.for_each([&](const ScoreSpool::Entry&) { ++seen; });
          _exit(seen == entries ? 2 : 3);
        } catch (const leadscore::StoreError&) {
          _exit(0);
        }
      }
      int status = 0;
      waitpid(child, &status, 0);
      REQUIRE(WIFEXITED(status));
      return WEXITSTATUS(status);
    };
    const int block = 65536;  // entries per block, 24 bytes each
    SUBCASE("a block that does not fit") {
      CHECK(run_capped(1 << 20, 200000) == 0);
    }
    // One block fits exactly; the last 100 entries stay in the C library's buffer until the
    // spool is read back, so only that final flush can report the failure.
    SUBCASE("a tail that fails only when flushed") {
      CHECK(run_capped(rlim_t(block) * 24, block + 100) == 0);
    }
  }
}
