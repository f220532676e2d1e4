// What other files need to know of a .bib file, for checks across a project: its entry keys and
// its @string names, each with the byte span where it is written. Small, owned strings, so a
// summary outlives the parse and compares cheaply with the previous version's.
// Threading: a value type; summarize_bib is a pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "validators/bib_parser.h"

namespace perfectex::validators {

struct BibSymbol {
  std::string name;  ///< as written (BibTeX compares keys ignoring case, biber exactly)
  Span span;         ///< where it is written in the file
  friend bool operator==(const BibSymbol&, const BibSymbol&) = default;
};

struct BibSummary {
  std::vector<BibSymbol> keys;     ///< entry keys in text order, repeats included
  std::vector<BibSymbol> strings;  ///< @string names in text order
  friend bool operator==(const BibSummary&, const BibSummary&) = default;

  /// Whether the file defines key (exactly, as biber and LaTeX's \cite compare).
  bool has_key(std::string_view key) const;
};

BibSummary summarize_bib(std::string_view text, const BibFile& file);

}  // namespace perfectex::validators
