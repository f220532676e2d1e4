#include "validators/diagnostic.h"

#include <iterator>

namespace perfectex::validators {

// A natural merge sort: each pass merges neighbouring runs into merged_ and swaps it in, so a
// sink of a few runs (the families' findings, each sorted) costs a few linear passes where a
// comparison sort costs n log n comparisons and moves. merged_ has the items' capacity, so
// back_inserter never allocates; std::merge takes equals from its first range first (stable).
void DiagnosticSink::sort() {
  // A lambda, not the function's address, so that the comparison is inlined.
  auto before = [](const Diagnostic& a, const Diagnostic& b) { return published_before(a, b); };
  while (!std::is_sorted(items_.begin(), items_.end(), before)) {
    merged_.clear();
    for (auto first = items_.begin(); first != items_.end();) {
      auto middle = std::is_sorted_until(first, items_.end(), before);
      auto last = std::is_sorted_until(middle, items_.end(), before);
      std::merge(first, middle, middle, last, std::back_inserter(merged_), before);
      first = last;
    }
    items_.swap(merged_);
  }
}

}  // namespace perfectex::validators
