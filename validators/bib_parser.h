// A tolerant BibTeX/biblatex (.bib) parser: text in, entries, @strings, @preamble and syntax
// diagnostics out, every piece a byte span into the text (nothing is copied). It reads what BibTeX
// and biber read and, after a mistake, resumes at the next `@` that starts a line, so one error
// never hides the entries after it. Checks across entries (duplicates, @string use) are
// bib_rules.h. Threading: parse_bib is a pure function; a BibFile is used by one thread at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "validators/diagnostic.h"

namespace perfectex::validators {

enum class BibEntryKind : std::uint8_t {
  Entry,     ///< @article{key, ...} and every other type
  String,    ///< @string{name = value}: one field, the macro
  Preamble,  ///< @preamble{value}: one field with an empty name
  Comment,   ///< @comment{...}: no fields
};

/// One piece of a value; pieces are joined with `#`.
enum class BibPartKind : std::uint8_t {
  Braced,  ///< {text}, span includes the braces
  Quoted,  ///< "text", span includes the quotes
  Number,  ///< 2014
  Macro,   ///< a reference to an @string (or a month macro), case-insensitive
};

struct BibPart {
  BibPartKind kind;
  Span span;
};

struct BibField {
  Span name;   ///< empty for @preamble
  Span value;  ///< from the first piece to the last (empty when the value is missing)
  std::uint32_t first_part = 0;
  std::uint32_t part_count = 0;
};

struct BibEntry {
  BibEntryKind kind = BibEntryKind::Entry;
  Span range;  ///< from `@` to the closing delimiter, or to where the entry was cut off
  Span type;   ///< the word after `@`, as written (compare it case-insensitively)
  Span key;    ///< the citation key (Entry only); empty when missing
  std::uint32_t first_field = 0;
  std::uint32_t field_count = 0;
  /// Read to its closing delimiter without a syntax error: BibTeX and biber use all of it.
  bool complete = false;
};

/// A parsed .bib file. Reused across parses: clear() keeps the capacity.
struct BibFile {
  std::vector<BibEntry> entries;   ///< in text order; text outside entries is comment
  std::vector<BibField> fields;    ///< entries' fields, contiguous per entry
  std::vector<BibPart> parts;      ///< fields' value pieces, contiguous per field
  std::vector<Diagnostic> syntax;  ///< syntax diagnostics in text order, default severities

  void clear() {
    entries.clear();
    fields.clear();
    parts.clear();
    syntax.clear();
  }
  std::span<const BibField> fields_of(const BibEntry& e) const {
    return {fields.data() + e.first_field, e.field_count};
  }
  std::span<const BibPart> parts_of(const BibField& f) const {
    return {parts.data() + f.first_part, f.part_count};
  }
};

/// Parses text (at most 4 GiB) into out, replacing what out held.
void parse_bib(std::string_view text, BibFile& out);

/// The bytes of a span.
inline std::string_view bib_text(std::string_view text, Span s) {
  return text.substr(s.begin, s.end - s.begin);
}
/// ASCII case-insensitive equality and ordering (BibTeX folds only ASCII letters).
bool bib_iequal(std::string_view a, std::string_view b);
int bib_icompare(std::string_view a, std::string_view b);

}  // namespace perfectex::validators
