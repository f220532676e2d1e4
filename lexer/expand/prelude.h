// Definitions from the files read before a document (a project's preamble, its macro files), in
// effect from the document's start: the document's macro table is built on the prelude's as its
// base, and the expansion view reads the bodies of its macros from the prelude's text.
// Threading: immutable once made; shared read-only by worker threads (hold it by shared_ptr for
// as long as a table built on it, or a diagnostic naming its text, is in use).
#pragma once

#include <memory>
#include <string>

#include "lexer/expand/macro_table.h"
#include "lexer/token.h"

namespace perfectex::lexer::expand {

struct Prelude {
  std::string text;    ///< definitions, as source text (the project side concatenates them)
  TokenBuffer tokens;  ///< text, lexed
  MacroTable table;    ///< text's definitions
};

/// Lexes text and reads its definitions; may allocate (made off the hot path, once per change).
std::shared_ptr<const Prelude> make_prelude(std::string text);

}  // namespace perfectex::lexer::expand
