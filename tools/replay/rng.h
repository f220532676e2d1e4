// A seeded random source whose draws are specified here (xoshiro256** seeded by SplitMix64), so a
// synthesized session depends only on the seed, not on the standard library (the <random>
// distributions are implementation-defined). normal()/lognormal() also go through libm log/cos/exp.
// Threading: one Rng per thread; it holds mutable state.
#pragma once

#include <array>
#include <cstdint>

namespace perfectex::replay {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  /// The next 64 raw bits.
  std::uint64_t next();
  /// Uniform integer in [0, bound); bound must be positive. Unbiased (rejection sampling).
  std::uint64_t below(std::uint64_t bound);
  /// Uniform integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  /// Uniform double in [0, 1) with 53 random bits.
  double unit();
  /// True with probability p.
  bool chance(double p);
  /// Standard normal draw (Box-Muller on unit()).
  double normal();
  /// Log-normal draw with the given median and shape sigma (median * exp(sigma * normal())).
  double lognormal(double median, double sigma);

 private:
  std::array<std::uint64_t, 4> state_{};
};

}  // namespace perfectex::replay
