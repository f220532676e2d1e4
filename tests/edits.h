// Random edits for the incremental oracles (relex, rules): typing a character, deleting a few
// bytes, pasting a slice of the document, or inserting (or replacing a stretch by) one of the
// snippets a test names, the edits that change the state of everything after them.
// Threading: plain functions, no state.
#pragma once

#include <algorithm>
#include <random>
#include <span>
#include <string>
#include <string_view>

#include "lexer/incremental_lexer.h"

namespace perfectex::testing {

/// Replaces [at, at + erase) of text with insert and describes it as a TextEdit.
inline lexer::TextEdit apply_edit(std::string& text, std::size_t at, std::size_t erase,
                                  std::string_view insert) {
  // Built anew rather than replace()d in place: GCC 12 at -O3 warns (-Wrestrict) on the latter.
  std::string edited;
  edited.reserve(text.size() - erase + insert.size());
  edited.append(text, 0, at).append(insert).append(text, at + erase);
  text = std::move(edited);
  return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + erase),
          static_cast<std::uint32_t>(at + insert.size())};
}

/// One random edit of text.
inline lexer::TextEdit random_edit(std::string& text, std::mt19937& rng,
                                   std::span<const std::string_view> snippets) {
  std::size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
  std::size_t left = text.size() - at;
  switch (rng() % 5) {
    case 0: {
      static constexpr std::string_view kTyped = "abcxyz @\\{}$%&#^_~[]\n \t";
      return apply_edit(text, at, 0, kTyped.substr(rng() % kTyped.size(), 1));
    }
    case 1:
      return apply_edit(text, at, std::min<std::size_t>(left, 1 + rng() % 20), "");
    case 2: {
      std::size_t from = text.empty() ? 0 : rng() % text.size();
      std::string slice = text.substr(from, 1 + rng() % 200);
      return apply_edit(text, at, 0, slice);
    }
    case 3:
      return apply_edit(text, at, 0, snippets[rng() % snippets.size()]);
    default:
      return apply_edit(text, at, std::min<std::size_t>(left, rng() % 8),
                        snippets[rng() % snippets.size()]);
  }
}

}  // namespace perfectex::testing
