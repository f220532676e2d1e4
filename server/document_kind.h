// Which analysis a document gets, decided in one place: LaTeX rules, the .bib checks, or none
// (other languages an editor may send). The editor's languageId decides; without one (the
// `check` command reading files), the extension does.
// Threading: a pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace perfectex::server {

enum class DocumentKind : std::uint8_t {
  Latex,   ///< latex, tex, plaintex, doctex; or a file without a language that is not .bib
  Bibtex,  ///< bibtex (and bib); or a .bib file without a language
  Other,   ///< any other language: published with no diagnostics
};

DocumentKind document_kind(std::string_view language_id, std::string_view uri);

}  // namespace perfectex::server
