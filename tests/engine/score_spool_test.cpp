// The spool that holds a run's scores between the scan and the write: every entry comes back
// once, in the order added, with its band, whether it stayed in memory or went to the file.
#include "engine/store/score_spool.hpp"

#include <doctest/doctest.h>

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
}
