#include <doctest/doctest.h>

#include <map>

#include "tools/replay/rng.h"

namespace perfectex::replay {

TEST_CASE("the generator is fixed by its seed") {
  Rng a(7);
  Rng b(7);
  Rng c(8);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    CHECK(x == b.next());
    CHECK(x != c.next());
  }
  // Pinned: xoshiro256** seeded by SplitMix64 from 0 (a change here changes every session).
  Rng zero(0);
  CHECK(zero.next() == 0x99EC5F36CB75F2B4ull);
}

TEST_CASE("draws stay in range and cover it") {
  Rng rng(1);
  std::map<std::uint64_t, int> seen;
  for (int i = 0; i < 6000; ++i) {
    const auto v = rng.below(6);
    REQUIRE(v < 6);
    ++seen[v];
  }
  CHECK(seen.size() == 6);
  for (const auto& [v, n] : seen) CHECK(n > 800);
  for (int i = 0; i < 1000; ++i) {
    const auto v = rng.between(-3, 3);
    CHECK(v >= -3);
    CHECK(v <= 3);
    const double u = rng.unit();
    CHECK(u >= 0.0);
    CHECK(u < 1.0);
    CHECK(rng.lognormal(100, 0.3) > 0);
  }
  CHECK_THROWS(rng.below(0));
  CHECK_THROWS(rng.between(2, 1));
  CHECK(rng.between(5, 5) == 5);
}

}  // namespace perfectex::replay
