// What one file tells its project: the files it includes, its labels, references, citations,
// packages, graphics settings and the simple macros that include paths use, each with its byte
// span. Extracted from the tokens in one pass; the cross-document rules work on these facts alone,
// so a project is recomputed from per-file summaries, not from texts.
// Threading: pure functions and value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/expand/macro_table.h"
#include "lexer/incremental_lexer.h"
#include "lexer/token.h"
#include "validators/diagnostic.h"

namespace perfectex::validators {

enum class IncludeKind : std::uint8_t {
  Input,         ///< \input: a missing file stops LaTeX
  Include,       ///< \include: a missing file is a warning; obeys \includeonly
  Subfile,       ///< \subfile (subfiles package)
  Import,        ///< \import{dir}{file}: dir from the root's folder; later paths relative to it
  Subimport,     ///< \subimport{dir}{file}: dir from the current folder
  Bibliography,  ///< \bibliography{a,b}: BibTeX databases (.bib added)
  BibResource,   ///< \addbibresource{file.bib}: biblatex
  Graphics,      ///< \includegraphics: extensions and \graphicspath apply
  External,      ///< \externaldocument[prefix]{file} (xr): its labels, prefixed, are defined
};

struct Include {
  IncludeKind kind;
  std::string dir;   ///< \import's directory (macros expanded later); \externaldocument's prefix
  std::string path;  ///< as written (one entry of a comma list)
  Span range;        ///< the whole command, where a diagnostic goes
  Span arg;          ///< the path argument
  friend bool operator==(const Include&, const Include&) = default;
};

struct Name {
  std::string text;
  Span span;
  friend bool operator==(const Name&, const Name&) = default;
};

/// An environment the file leaves to the files around it: a \begin it never closes, or an \end
/// with no environment open, written outside any brace group. Alone, the file's F1 reports each
/// (unclosed-environment, unmatched-end) at span, the whole `\begin{name}`. A file whose
/// environments and brace groups interleave has none: F1's reports are not edges then.
struct EnvironmentEdge {
  Name environment;
  bool opens = false;
  friend bool operator==(const EnvironmentEdge&, const EnvironmentEdge&) = default;
};

/// A definition the file makes (\newcommand and kin, \def, \let, \newenvironment, ...), as L1's
/// table reads it: the files read after this one know it.
struct DefinitionSpan {
  Span span;               ///< from the defining command to the end of the definition
  bool at_letter = false;  ///< written under \makeatletter: `@` is a letter in it
  friend bool operator==(const DefinitionSpan&, const DefinitionSpan&) = default;
};

struct FileFacts {
  std::optional<std::uint32_t> documentclass;   ///< offset of the first \documentclass
  std::optional<std::uint32_t> begin_document;  ///< offset of \begin{document}
  std::string magic_root;                       ///< from `% !TeX root = ...` near the top
  std::vector<Include> includes;
  std::optional<std::vector<std::string>> include_only;
  std::vector<std::string> graphics_paths;
  std::vector<std::string> graphics_extensions;  ///< \DeclareGraphicsExtensions, in order
  std::vector<Name> labels;
  std::vector<Name> references;
  std::vector<Name> citations;
  std::vector<Name> packages;  ///< \usepackage / \RequirePackage, one per package name
  /// \def\PATH{.} and \newcommand{\PATH}{...} with a plain-text body: name without backslash.
  std::vector<std::pair<std::string, std::string>> path_macros;
  /// In order of position: the \end edges come first, then the \begin edges.
  std::vector<EnvironmentEdge> environment_edges;
  std::vector<DefinitionSpan> definitions;  ///< in order of position
  std::uint64_t definitions_hash = 0;       ///< of their text: it tells when they change
  /// The bytes the facts were read from, in order: the first lines, each command read and its
  /// arguments, each definition. Words typed elsewhere change none of the facts.
  std::vector<Span> sources;
  /// The same for each \begin and \end (outside regions): what begin_document and the
  /// environment edges were read from, with the braces.
  std::vector<Span> environment_sources;

  /// The same includes and settings that decide which files make the project and where they
  /// are (not the labels, references, citations and packages).
  bool same_graph(const FileFacts& other) const;
  friend bool operator==(const FileFacts&, const FileFacts&) = default;
};

/// table: L1's table of the same tokens (its regions, definitions and \iffalse blocks, are what
/// F1 skips).
FileFacts extract_facts(std::string_view text, const lexer::TokenBuffer& tokens,
                        const lexer::expand::MacroTable& table);
/// The same, building the table.
FileFacts extract_facts(std::string_view text, const lexer::TokenBuffer& tokens);
/// An environment open where the environment reader is, with the brace groups open around its
/// \begin.
struct OpenEnvironment {
  Name name;
  std::size_t depth = 0;
};

/// Where read_environments was in a text every `spacing` tokens or so, with its state then: a
/// read after an edit starts at the last of these. The caller keeps them with the facts they were
/// read for (an analyzer its document's), cuts them at each edit with keep_before, and clears them
/// when the facts are extracted anew. Threading: belongs to that caller.
struct EnvironmentCheckpoints {
  struct Point {
    std::uint32_t token = 0;   ///< the next token the reader looks at
    std::uint32_t reach = 0;   ///< the furthest token it read before
    std::uint32_t region = 0;  ///< the table's regions passed
    std::size_t depth = 0;     ///< brace groups open
    bool tangled = false;
    bool ended = false;  ///< the outermost \end{document} was read
    std::vector<OpenEnvironment> open;
    std::vector<EnvironmentEdge> ends;  ///< the \end edges found before
    std::size_t sources = 0;            ///< how many environment sources there were
    Span last_source{};                 ///< the last of them (one read later may join it)
    std::optional<std::uint32_t> begin_document;
  };
  std::vector<Point> points;
  std::uint32_t spacing = 4096;
  /// Keeps the points an edit left as they were: those before its first changed token that read
  /// nothing from it on.
  void keep_before(const lexer::TokenEdit& edit);
};

/// What extract_facts(text, tokens, table) reads from the braces and the \begin and \end outside
/// regions, set in facts (the rest is left as it is): begin_document, environment_edges and
/// environment_sources. An edit that changed braces or environments, and no other source of
/// the facts, changes these alone. Starts at the last of checkpoints (whose environment sources
/// up to it are facts'), and adds one every checkpoints.spacing tokens from there, but where more
/// than 64 environments are open or unmatched (each point copies them).
void read_environments(std::string_view text, const lexer::TokenBuffer& tokens,
                       const lexer::expand::MacroTable& table, FileFacts& facts,
                       EnvironmentCheckpoints& checkpoints);

}  // namespace perfectex::validators
