// F6, references and labels in one document: a plain space before \ref or \cite, references to
// labels the document does not define (only in a self-contained document), duplicate and
// unused labels, label keys that break packages, and a space before \label or \index.
// Threading: the scratch belongs to one worker; check_references runs on that worker.
#pragma once

#include <vector>

#include "validators/mode_tracker.h"

namespace perfectex::validators {

struct ReferenceScratch {
  struct Key {
    Span key;
    Span command;
  };
  ReferenceScratch() { reserve(4096); }
  void reserve(std::size_t n) {
    labels.reserve(n);
    refs.reserve(n);
  }
  std::vector<Key> labels;
  std::vector<Key> refs;
  bool overflowed = false;  ///< more keys than reserved: the runner grows the scratch and reruns
};

void check_references(const RuleContext& ctx, const ModeScratch& modes, ReferenceScratch& scratch);

}  // namespace perfectex::validators
