#include "validators/facts_after_edit.h"

#include <algorithm>
#include <utility>

#include "validators/fact_commands.h"

namespace perfectex::validators {

using lexer::TokenKind;

namespace {

// Whether the tokens the edit made hold a command the facts are read from: a \begin or an \end
// (environment), or another.
struct Made {
  bool environment = false;
  bool other = false;
};
Made commands_made(std::string_view text, const lexer::TokenBuffer& tokens,
                   const lexer::TokenEdit& edit) {
  Made made;
  for (std::uint32_t t = edit.first; t < edit.new_end; ++t) {
    if (tokens.kind(t) != TokenKind::ControlWord) continue;
    const Command command = command_of(text.substr(tokens.begin(t) + 1, tokens.length(t) - 1));
    if (command == Command::Begin || command == Command::End) {
      made.environment = true;
    } else if (command != Command::None) {
      made.other = true;
    }
  }
  return made;
}

}  // namespace

bool keeps_facts(std::string_view text, const lexer::TokenBuffer& tokens,
                 const lexer::TokenEdit& edit, bool definitions_kept) {
  if (edit.plain) return true;
  // A command the facts are read from that the edit took away touched its source.
  return definitions_kept && !commands_made(text, tokens, edit).other;
}

namespace {

// The label, reference or citation key holding the edit's bytes (either end counts), when the edit
// typed or took away only characters of keys, never a comma or a blank (which cut keys anew).
const Name* edited_key(const FileFacts& facts, const lexer::TokenEdit& edit, std::string_view typed,
                       std::string_view removed) {
  constexpr std::string_view kCuts = ", \t\r\n";
  if (typed.find_first_of(kCuts) != std::string_view::npos ||
      removed.find_first_of(kCuts) != std::string_view::npos)
    return nullptr;
  for (const std::vector<Name>* names : {&facts.labels, &facts.references, &facts.citations}) {
    auto key = std::partition_point(names->begin(), names->end(),
                                    [&](const Name& n) { return n.span.end < edit.bytes.old_end; });
    if (key != names->end() && key->span.begin <= edit.bytes.begin) return &*key;
  }
  return nullptr;
}

// Whether the commands in bytes [begin, end) of the text are labels, references, citations and
// environments only (or no command the facts are read from): a key typed in there changes
// nothing else. (An environment whose name a key is in has a backslash in it: none is read.)
bool only_keys(std::string_view text, const lexer::TokenBuffer& tokens, std::uint32_t near,
               std::uint32_t begin, std::uint32_t end) {
  std::uint32_t t = std::min<std::uint32_t>(near, static_cast<std::uint32_t>(tokens.size()));
  while (t > 0 && tokens.begin(t - 1) >= begin) --t;
  for (; t < tokens.size() && tokens.begin(t) < end; ++t) {
    if (tokens.kind(t) != TokenKind::ControlWord) continue;
    const Command command = command_of(text.substr(tokens.begin(t) + 1, tokens.length(t) - 1));
    switch (command) {
      case Command::None:
      case Command::Label:
      case Command::Reference:
      case Command::Citation:
      case Command::Begin:
      case Command::End:
        break;
      default:
        return false;
    }
  }
  return true;
}

// Whether the words an edit changed (edit.plain) are inside a brace group left open to the end
// of their paragraph, away from any command's first token after it and from the command after
// them: no argument holding them is read (one is closed within its paragraph), no command reads
// them as what follows it, and no source is parted. Braces and paragraph breaks are not words, so
// the edit leaves that so.
bool in_open_argument(const lexer::TokenBuffer& tokens, const lexer::TokenEdit& edit) {
  auto blank = [](TokenKind k) {
    return k == TokenKind::Space || k == TokenKind::Newline || k == TokenKind::Comment;
  };
  // Right before a command: in a source it joined to the one before, the edit parts them.
  if (edit.new_end < tokens.size() && (tokens.kind(edit.new_end) == TokenKind::ControlWord ||
                                       tokens.kind(edit.new_end) == TokenKind::ControlSymbol))
    return false;
  std::uint32_t t = edit.first;
  while (t > 0 && blank(tokens.kind(t - 1))) --t;
  if (t == 0) return false;
  const TokenKind before = tokens.kind(t - 1);
  if (before == TokenKind::ControlWord || before == TokenKind::CloseBracket ||
      (before == TokenKind::Text && tokens.length(t - 1) == 1))  // a star (or any one letter)
    return false;
  // The innermost `{` still open at the edit, within its paragraph.
  int depth = 0;
  for (t = edit.first; t-- > 0 && depth >= 0;) {
    const TokenKind kind = tokens.kind(t);
    if (kind == TokenKind::ParagraphBreak) return false;
    depth += kind == TokenKind::EndGroup ? 1 : kind == TokenKind::BeginGroup ? -1 : 0;
  }
  if (depth >= 0) return false;
  // Open to the paragraph's end.
  depth = 1;
  for (t = edit.new_end; t < tokens.size(); ++t) {
    const TokenKind kind = tokens.kind(t);
    if (kind == TokenKind::ParagraphBreak) return true;
    depth += kind == TokenKind::BeginGroup ? 1 : kind == TokenKind::EndGroup ? -1 : 0;
    if (depth == 0) return false;
  }
  return true;
}

// Where an edit's bytes [changed.begin, changed.end) of the text before are, among sources:
// away from all (Away); at one it only moves (Moves: read is set to it when the edit is inside
// it, and key to the key read again, if any); or at one whose command may read otherwise now.
enum class AtSources { Away, Moves, Changes };
AtSources at_sources(const std::vector<Span>& sources, bool first_lines, const FileFacts& before,
                     const lexer::TokenEdit& edit, Span changed, std::string_view text,
                     const lexer::TokenBuffer& tokens, std::string_view removed, const Span*& read,
                     const Name*& key) {
  // Touching counts: a word typed right after `\input name` is read with it.
  auto after = std::partition_point(sources.begin(), sources.end(),
                                    [&](const Span& s) { return s.end < changed.begin; });
  if (after == sources.end() || after->begin > changed.end) return AtSources::Away;
  // The first lines are read for the root comment.
  const bool lines = first_lines && after == sources.begin();
  // A brace after a command, or in what it reads, may give it an argument or take one away;
  // one right before it changes nothing it reads (the command before, if it read so far, has
  // a source that holds the edit).
  if (edit.groups && (changed.end != after->begin || lines)) return AtSources::Changes;
  // An edit at one source that reads keys and environments alone. Beside it, its tokens are
  // unchanged, and each of these commands reads to a `}`, a paragraph break or a token that is
  // no `{` and nothing before it but the braces and the commands keeps_facts rules out: the
  // source only moves, whatever was typed (a paragraph break after a `\begin{itemize}`, say).
  // Words typed inside one key move that key and the end of the source with the edit; inside an
  // argument left open, which gives nothing, only that end.
  const bool beside = changed.begin == after->end || changed.end == after->begin;
  const bool inside = after->begin <= edit.bytes.begin && edit.bytes.old_end <= after->end;
  const std::uint32_t end = after->end + edit.bytes.new_end - edit.bytes.old_end;
  if (!(beside || (inside && edit.plain)) || lines ||
      (std::next(after) != sources.end() && std::next(after)->begin <= changed.end) ||
      !only_keys(text, tokens, edit.first, after->begin, end))
    return AtSources::Changes;
  if (!beside) {
    read = &*after;
    key = edited_key(before, edit,
                     text.substr(edit.bytes.begin, edit.bytes.new_end - edit.bytes.begin), removed);
    if (key == nullptr && !in_open_argument(tokens, edit)) return AtSources::Changes;
  }
  return AtSources::Moves;
}

}  // namespace

std::optional<MovedFacts> move_facts(const FileFacts& before, const lexer::TokenEdit& edit,
                                     Span changed, std::string_view text,
                                     const lexer::TokenBuffer& tokens,
                                     const lexer::expand::MacroTable& table,
                                     std::string_view removed,
                                     EnvironmentCheckpoints& checkpoints) {
  const Span* read = nullptr;  // the source the edit is inside, whose end moves with it
  const Name* key = nullptr;   // the key the edit is inside, read again
  if (at_sources(before.sources, true, before, edit, changed, text, tokens, removed, read, key) ==
      AtSources::Changes)
    return std::nullopt;
  // The braces changed, or what a \begin or an \end reads: what those give is read again.
  const Span* read_environment = nullptr;
  const Name* no_key = nullptr;
  const bool environments =
      edit.groups || commands_made(text, tokens, edit).environment ||
      at_sources(before.environment_sources, false, before, edit, changed, text, tokens, removed,
                 read_environment, no_key) == AtSources::Changes;
  FileFacts moved = before;
  // Every other fact moves whole: one the edit is inside (a definition the key is in, whose text
  // is hashed) is read anew.
  bool whole = true;
  auto point = [&](std::uint32_t& p) { whole = edit.point(p) && whole; };
  auto span = [&](Span& s) { whole = edit.span(s) && whole; };
  auto grow = [&](Span& s) { s.end = s.end - edit.bytes.old_end + edit.bytes.new_end; };
  // The sources of a list, inside (when not null) the one whose end moves with the edit.
  auto sources = [&](const std::vector<Span>& was, std::vector<Span>& now, const Span* inside) {
    for (std::size_t k = 0; k < now.size(); ++k) {
      if (&was[k] == inside) {
        grow(now[k]);
      } else {
        span(now[k]);
      }
    }
  };
  if (moved.documentclass) point(*moved.documentclass);
  if (!environments) {
    if (moved.begin_document) point(*moved.begin_document);
    for (EnvironmentEdge& edge : moved.environment_edges) span(edge.environment.span);
    sources(before.environment_sources, moved.environment_sources, read_environment);
  }
  for (Include& include : moved.includes) {
    span(include.range);
    span(include.arg);
  }
  for (auto [was, names] :
       {std::pair{&before.labels, &moved.labels}, std::pair{&before.references, &moved.references},
        std::pair{&before.citations, &moved.citations},
        std::pair{&before.packages, &moved.packages}}) {
    for (std::size_t k = 0; k < names->size(); ++k) {
      Name& name = (*names)[k];
      if (&(*was)[k] != key) {
        span(name.span);
        continue;
      }
      grow(name.span);
      if (name.span.end == name.span.begin) return std::nullopt;
      name.text = text.substr(name.span.begin, name.span.end - name.span.begin);
    }
  }
  for (DefinitionSpan& definition : moved.definitions) span(definition.span);
  sources(before.sources, moved.sources, read);
  if (!whole) return std::nullopt;
  checkpoints.keep_before(edit);
  if (!environments) return MovedFacts{std::move(moved), true};
  // Read again: the same as before when they are those before, moved.
  std::optional<std::uint32_t> begin_document = moved.begin_document;
  std::vector<EnvironmentEdge> edges = moved.environment_edges;
  bool same = !begin_document || edit.point(*begin_document);
  for (EnvironmentEdge& edge : edges) same = same && edit.span(edge.environment.span);
  read_environments(text, tokens, table, moved, checkpoints);
  same = same && begin_document == moved.begin_document && edges == moved.environment_edges;
  return MovedFacts{std::move(moved), same};
}

}  // namespace perfectex::validators
