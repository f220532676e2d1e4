// DiagnosticSink::sort against its obviously correct twin, std::stable_sort with the same order,
// on sinks made of sorted runs (as the families fill it) and of random diagnostics, including
// equal positions of different rules and equal keys that differ elsewhere; it allocates nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "lexer/quiet_allocation_guard.h"
#include "validators/diagnostic.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

Diagnostic random_diagnostic(std::mt19937& rng) {
  Diagnostic d;
  d.rule = static_cast<RuleId>(rng() % 3);
  d.range.begin = static_cast<std::uint32_t>(rng() % 200);
  d.range.end = d.range.begin + static_cast<std::uint32_t>(rng() % 3);
  d.fix_at = static_cast<std::uint32_t>(rng());  // tells equal keys apart: stability shows
  return d;
}

}  // namespace

TEST_CASE("the sink's merge sort equals a stable sort, and allocates nothing") {
  std::mt19937 rng(7);
  auto before = [](const Diagnostic& a, const Diagnostic& b) {
    return DiagnosticSink::published_before(a, b);
  };
  for (int round = 0; round < 500; ++round) {
    CAPTURE(round);
    DiagnosticSink sink(512);
    std::vector<Diagnostic> want;
    const int runs = static_cast<int>(rng() % 8);
    for (int r = 0; r < runs; ++r) {
      std::vector<Diagnostic> run(rng() % 60);
      for (Diagnostic& d : run) d = random_diagnostic(rng);
      if (round % 4 != 0) std::stable_sort(run.begin(), run.end(), before);  // else: random
      for (const Diagnostic& d : run) {
        sink.add(d);
        want.push_back(d);
      }
    }
    std::stable_sort(want.begin(), want.end(), before);
    lexer::QuietAllocationGuard guard;
    sink.sort();
    CHECK(guard.allocations() == 0);
    REQUIRE(sink.items() == want);
  }
}
