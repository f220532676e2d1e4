// A file's facts after an edit, from its facts before it (validators/project_facts.h): kept and
// moved when the edit cannot change what they were read from, with the one key it retyped, or
// what the braces, \begin and \end give when it changed those, read again; otherwise the caller
// extracts them anew. Twins: tests/server/analyzer_tests.cpp compares
// each result with a fresh extraction. Threading: pure functions.
#pragma once

#include <optional>
#include <string_view>

#include "lexer/incremental_lexer.h"
#include "lexer/token.h"
#include "validators/project_facts.h"

namespace perfectex::validators {

/// Whether an edit can leave the facts as they were (but what the braces, \begin and \end give):
/// it changed only words, spaces and line ends (edit.plain); or the macro table has the same
/// definitions and \iffalse blocks, moved (definitions_kept), and the edit put in no command the
/// facts are read from but \begin and \end (its tokens in text and tokens).
bool keeps_facts(std::string_view text, const lexer::TokenBuffer& tokens,
                 const lexer::TokenEdit& edit, bool definitions_kept);

/// The facts of a text an edit made, from the facts of the text before it, when keeps_facts: the
/// same facts, moved, when the edit's bytes [changed.begin, changed.end) of the text before touch
/// none of the sources. At one source that reads only keys and environments (not the first
/// lines): an edit beside it, moved likewise; words typed or taken away inside one label,
/// reference or citation key (no comma or blank typed or removed), that key as it reads now in
/// text; inside an argument whose `{` stays open to its paragraph's end, moved. An edit that
/// changed braces (edit.groups) touches no source but where it ends right before one. When it
/// changed braces, or touched or made a \begin or an \end, what those give is read again
/// (read_environments, from the last of checkpoints the edit left). tokens and table: text's;
/// removed: the bytes the edit replaced; checkpoints: those of the facts before, cut at the edit
/// (and added to) when the facts move. Nothing when the facts must be extracted again.
struct MovedFacts {
  FileFacts facts;
  /// Every fact is one from before, moved (what was read again came out the same): what the
  /// project made of the facts before holds, moved.
  bool only_moved = true;
};
std::optional<MovedFacts> move_facts(const FileFacts& before, const lexer::TokenEdit& edit,
                                     Span changed, std::string_view text,
                                     const lexer::TokenBuffer& tokens,
                                     const lexer::expand::MacroTable& table,
                                     std::string_view removed, EnvironmentCheckpoints& checkpoints);

}  // namespace perfectex::validators
