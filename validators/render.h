// Turning a diagnostic into words and edits, on demand: messages, related-location messages and
// quick fixes are built from the rule's templates and the document text, off the hot path.
// Threading: pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "validators/diagnostic.h"

namespace perfectex::validators {

struct TextEdit {
  Span range;  ///< bytes replaced (empty for an insertion)
  std::string new_text;
  friend bool operator==(const TextEdit&, const TextEdit&) = default;
};

struct Fix {
  std::string title;
  std::vector<TextEdit> edits;
};

std::string render_message(const Diagnostic& d, std::string_view text);
std::string render_related_message(const Diagnostic& d, std::string_view text);
/// The quick fix for d, if its rule has one.
std::optional<Fix> make_fix(const Diagnostic& d, std::string_view text);

}  // namespace perfectex::validators
