#include "validators/bib_summary.h"

#include <algorithm>

namespace perfectex::validators {

bool BibSummary::has_key(std::string_view key) const {
  return std::any_of(keys.begin(), keys.end(), [&](const BibSymbol& s) { return s.name == key; });
}

BibSummary summarize_bib(std::string_view text, const BibFile& file) {
  BibSummary summary;
  for (const BibEntry& e : file.entries) {
    if (e.kind == BibEntryKind::Entry && !e.key.empty()) {
      summary.keys.push_back({std::string(bib_text(text, e.key)), e.key});
    } else if (e.kind == BibEntryKind::String && e.field_count > 0) {
      Span name = file.fields[e.first_field].name;
      summary.strings.push_back({std::string(bib_text(text, name)), name});
    }
  }
  return summary;
}

}  // namespace perfectex::validators
