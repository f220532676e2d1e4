#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "tools/replay/percentiles.h"
#include "tools/replay/rng.h"

namespace perfectex::replay {

TEST_CASE("nearest rank: rank = ceil(p/100 * N), 1-based") {
  CHECK(nearest_rank_index(1, 50'000) == 0);
  CHECK(nearest_rank_index(1, 100'000) == 0);
  CHECK(nearest_rank_index(10, 50'000) == 4);      // ceil(5) = 5
  CHECK(nearest_rank_index(11, 50'000) == 5);      // ceil(5.5) = 6
  CHECK(nearest_rank_index(1000, 99'900) == 998);  // ceil(999) = 999, exact in integers
  CHECK(nearest_rank_index(1001, 99'900) == 999);  // ceil(999.999) = 1000
  CHECK(nearest_rank_index(100, 99'000) == 98);
  CHECK(nearest_rank_index(101, 99'000) == 99);  // ceil(99.99) = 100
  CHECK(nearest_rank_index(3, 1) == 0);          // tiny p still takes rank 1
  CHECK_THROWS(nearest_rank_index(0, 50'000));
  CHECK_THROWS(nearest_rank_index(5, 0));
  CHECK_THROWS(nearest_rank_index(5, 100'001));
}

TEST_CASE("a single sample is every percentile") {
  const std::vector<std::int64_t> one{42};
  const LatencySummary s = summarize(one);
  CHECK(s.count == 1);
  CHECK(s.min == 42);
  CHECK(s.mean == doctest::Approx(42));
  for (auto v : s.values) CHECK(v == 42);
}

TEST_CASE("ties: nearest rank returns an element of the sample, never an interpolation") {
  const std::vector<std::int64_t> data{5, 1, 2, 2, 2,
                                       3, 9, 2, 2, 2};  // sorted: 1 2 2 2 2 2 2 3 5 9
  const LatencySummary s = summarize(data);
  CHECK(s.at("p50") == 2);  // rank 5
  CHECK(s.at("p90") == 5);  // rank 9
  CHECK(s.at("p95") == 9);  // rank ceil(9.5) = 10
  CHECK(s.at("p99") == 9);
  CHECK(s.at("p99.9") == 9);
  CHECK(s.at("p999") == 9);
  CHECK(s.at("max") == 9);
  CHECK(s.min == 1);
  const std::vector<std::int64_t> same(7, 3);
  for (auto v : summarize(same).values) CHECK(v == 3);
}

TEST_CASE("N = 100000: the values 1..N shuffled give exactly the rank") {
  std::vector<std::int64_t> data(100'000);
  std::iota(data.begin(), data.end(), 1);
  Rng rng(99);
  for (std::size_t i = data.size() - 1; i > 0; --i) std::swap(data[i], data[rng.below(i + 1)]);
  const LatencySummary s = summarize(data);
  CHECK(s.count == 100'000);
  CHECK(s.at("p50") == 50'000);
  CHECK(s.at("p90") == 90'000);
  CHECK(s.at("p95") == 95'000);
  CHECK(s.at("p99") == 99'000);
  CHECK(s.at("p99.9") == 99'900);
  CHECK(s.at("max") == 100'000);
  CHECK(s.min == 1);
  CHECK(s.mean == doctest::Approx(50'000.5));
  // summarize leaves its input alone
  CHECK(!std::is_sorted(data.begin(), data.end()));
}

TEST_CASE("N = 100000 with a heavy tail of ties") {
  std::vector<std::int64_t> data(100'000, 1);
  std::fill(data.end() - 150, data.end(), 500);  // the slowest 0.15%
  const LatencySummary s = summarize(data);
  CHECK(s.at("p99") == 1);      // rank 99000
  CHECK(s.at("p99.9") == 500);  // rank 99900 > 99850
  CHECK(s.at("max") == 500);
}

TEST_CASE("an empty sample summarises to zeros") {
  const LatencySummary s = summarize(std::vector<std::int64_t>{});
  CHECK(s.count == 0);
  CHECK(s.at("p99") == 0);
}

}  // namespace perfectex::replay
