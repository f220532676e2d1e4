// Turning a diagnostic into words and edits, on demand: messages, related-location messages and
// quick fixes are built from the rule's templates and the document text (and, for names spelled
// only in a definition from another file, the prelude's text the analysis ran with), off the hot
// path. Threading: pure functions; safe from any thread.
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

/// prelude: the text of the prelude the document was analysed with (AnalysisResult::context),
/// where the spans marked in d.in_prelude are; without it they read as empty.
std::string render_message(const Diagnostic& d, std::string_view text,
                           std::string_view prelude = {});
std::string render_related_message(const Diagnostic& d, std::string_view text,
                                   std::string_view prelude = {});
/// The text of what the message quotes: d.args[k] for k = 0, 1, d.expansion for k = 2.
std::string_view quoted(const Diagnostic& d, int k, std::string_view text,
                        std::string_view prelude = {});
/// The quick fix for d, if its rule has one (none when the name it writes is in a prelude that
/// is not given).
std::optional<Fix> make_fix(const Diagnostic& d, std::string_view text,
                            std::string_view prelude = {});

}  // namespace perfectex::validators
