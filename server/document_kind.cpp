#include "server/document_kind.h"

namespace perfectex::server {
namespace {

bool ends_with_ignoring_case(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s.remove_prefix(s.size() - suffix.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != suffix[i]) return false;
  }
  return true;
}

}  // namespace

DocumentKind document_kind(std::string_view language_id, std::string_view uri) {
  if (language_id.empty()) {
    return ends_with_ignoring_case(uri, ".bib") ? DocumentKind::Bibtex : DocumentKind::Latex;
  }
  if (language_id == "latex" || language_id == "tex" || language_id == "plaintex" ||
      language_id == "doctex") {
    return DocumentKind::Latex;
  }
  if (language_id == "bibtex" || language_id == "bib") return DocumentKind::Bibtex;
  return DocumentKind::Other;
}

}  // namespace perfectex::server
