// L1's macro table: the user's own definitions read from the document's tokens (\newcommand and
// kin, \def and kin, \let, \DeclareMathOperator, \newenvironment, \NewDocumentCommand, ...). A
// definition holds token indices and byte offsets into the text it is written in, never copied
// text; lookups answer "what does this name mean at this position", so later definitions override
// earlier ones, and a base table (a prelude's) gives the meanings in force before the first byte.
// Threading: a table belongs to one worker; build() allocates nothing once reserved; a base table
// is only read, so one may be shared by many workers.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "lexer/incremental_lexer.h"
#include "lexer/token.h"

namespace perfectex::lexer::expand {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;
/// Set in the index of a definition of the base table (MacroTable::build's base).
inline constexpr std::uint32_t kBaseBit = 0x80000000u;

/// Spaces, line ends and comments: what TeX skips before an argument.
inline bool blank(TokenKind k) {
  return k == TokenKind::Space || k == TokenKind::Newline || k == TokenKind::Comment;
}

struct ByteRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

/// One token as an argument delimiter: its kind and the bytes that spell it (for Text, possibly
/// one character inside a longer run).
struct Delimiter {
  TokenKind kind = TokenKind::Text;
  ByteRange bytes;
  bool present() const { return bytes.end > bytes.begin; }
  friend bool operator==(const Delimiter&, const Delimiter&) = default;
};

enum class ArgKind : std::uint8_t {
  Mandatory,  ///< m, a \newcommand argument, an undelimited \def parameter: a token or a group
  Optional,   ///< [..] of \newcommand, o/O/d/D/r/R of xparse: between two delimiters
  Boolean,    ///< s (a star) and t<token>: present or not
  Until,      ///< a \def parameter delimited by the token after it
};

struct ArgSpec {
  ArgKind kind = ArgKind::Mandatory;
  bool required = false;  ///< r and R: the delimiters must be there
  bool star = false;      ///< s: the delimiter is `*`
  Delimiter open, close;  ///< Optional: open and close; Boolean: open; Until: close
  /// Tokens [default_first, default_last) used when an optional argument is absent; kNone when
  /// there is none (xparse then passes -NoValue-).
  std::uint32_t default_first = kNone, default_last = kNone;
  friend bool operator==(const ArgSpec&, const ArgSpec&) = default;
};

enum class Namespace : std::uint8_t { Command, Environment };

/// Where a name comes from. Builtins are the commands the expander itself must recognise.
enum class Role : std::uint8_t {
  Macro,       ///< a user definition
  Definer,     ///< \newcommand, \def, \let, ...: its arguments are a definition, never expanded
  Suppressor,  ///< \ifx, \noexpand, \ifdef, ...: the next control sequences are not expanded
  IfFalse,     ///< \iffalse: what follows up to its \fi is skipped
  Begin,       ///< \begin: may open a user environment
  End,         ///< \end: may close a user environment
};

enum class DefinerForm : std::uint8_t {
  NewCommand,      ///< \newcommand \renewcommand \providecommand \DeclareRobustCommand ...
  MathOperator,    ///< \DeclareMathOperator
  NewEnvironment,  ///< \newenvironment \renewenvironment
  DocumentCommand,      ///< \NewDocumentCommand \RenewDocumentCommand \DeclareDocumentCommand
  DocumentEnvironment,  ///< \NewDocumentEnvironment ...
  Def,             ///< \def \gdef \edef \xdef
  Let,             ///< \let \futurelet
  Opaque,          ///< \patchcmd, \newcommandx, \lstnewenvironment, ...: skipped, not understood
};

enum class Novelty : std::uint8_t {
  Redefines,  ///< \renewcommand, \def, \let, \DeclareRobustCommand, ...: any earlier meaning goes
  New,        ///< \newcommand and kin: LaTeX stops when the name is already defined
  Provide,    ///< \providecommand: ignored when the name is already defined
};

struct Definition {
  ByteRange name;  ///< the name's bytes (a command without its backslash)
  Namespace space = Namespace::Command;
  Role role = Role::Macro;
  /// Macro: how it was defined; Definer: what it defines.
  DefinerForm form = DefinerForm::Opaque;
  Novelty novelty = Novelty::Redefines;
  bool expandable = false;  ///< false: known by name only (operators, \let to a primitive, ...)
  bool long_args = true;    ///< a blank line may appear in its arguments (not \newcommand*, \def)
  /// Not inside a group or a conditional: the definition is certainly executed, globally.
  bool top_level = false;
  /// A \let copy of a base table's definition: its body, delimiters and defaults are spelled in
  /// the base's text and tokens.
  bool base_body = false;
  std::uint8_t suppress = 0;  ///< Suppressor: how many control sequences after it stay unexpanded
  std::uint8_t arg_count = 0;  ///< Macro: its parameters; Definer: the groups after the name
  std::uint32_t at = 0;            ///< byte offset of the defining command: meaning starts after it
  std::uint32_t definer = kNone;   ///< token index of the defining command
  std::uint32_t previous = kNone;  ///< the earlier definition of the same name, if any
  std::uint32_t body_first = kNone, body_last = kNone;  ///< tokens [first, last) of the body
  std::uint32_t end_first = kNone, end_last = kNone;    ///< environments: the end code
  std::array<ArgSpec, 9> args{};
  friend bool operator==(const Definition&, const Definition&) = default;
};

/// Tokens the document spends on definitions and \iffalse blocks: the expansion view skips them.
struct Region {
  std::uint32_t first = 0, last = 0;  ///< token indices, inclusive
  std::uint32_t unclosed = kNone;     ///< a `{` of the definition that is never closed
  friend bool operator==(const Region&, const Region&) = default;
};

enum class BuildStatus { Ok, CapacityExceeded };

class MacroTable {
 public:
  explicit MacroTable(std::size_t capacity = 1024) { reserve(capacity); }

  /// Room for capacity definitions and regions (grown outside the hot path).
  void reserve(std::size_t capacity);
  std::size_t capacity() const { return defs_.capacity(); }

  /// Reads every definition of the document. CapacityExceeded: reserve more and build again.
  /// base, when given, holds the meanings in force before the document's first byte (a prelude's
  /// table, built without a base); it must outlive this table's use. Its definitions keep their
  /// index with kBaseBit set; the document's override them from where they are made.
  BuildStatus build(std::string_view text, const TokenBuffer& tokens,
                    const MacroTable* base = nullptr);

  /// The table of text and tokens, which are the last build's with edit applied, when edit
  /// leaves every definition as it was: the same definitions, moved. That is so when it only
  /// changed words, spaces and line ends away from every definition and \iffalse block, or when
  /// it lies after all of them and makes no new one. False (the table unchanged) when that is not
  /// so: build() then.
  bool shift(std::string_view text, const TokenBuffer& tokens, const TokenEdit& edit);
  /// The meaning of a name at byte offset pos (the latest definition before it), or kNone.
  /// When there is none and later is given, *later is set to the name's first definition if the
  /// document certainly had no meaning for the name before it (it is made with \newcommand and
  /// kin, at top level, and the base does not define it), else to kNone.
  std::uint32_t lookup(Namespace space, std::string_view name, std::uint32_t pos,
                       std::uint32_t* later = nullptr) const;

  /// Definition i of this table, or of the base when i has kBaseBit.
  const Definition& operator[](std::uint32_t i) const {
    return (i & kBaseBit) != 0 ? base_->defs_[i & ~kBaseBit] : defs_[i];
  }
  /// The document's definitions (the base's are not counted).
  std::size_t size() const { return defs_.size(); }
  const std::vector<Definition>& definitions() const { return defs_; }
  /// User definitions start here; lower indices are the builtins.
  std::uint32_t first_user() const { return builtin_count_; }
  /// Definition i's name (a command without its backslash), read from the text it is written in.
  std::string_view name(std::uint32_t i) const {
    return (i & kBaseBit) != 0 ? base_->spelled(base_->defs_[i & ~kBaseBit].name)
                               : spelled(defs_[i].name);
  }
  /// Whether definition i is the base's (its name is spelled in the base's text).
  static bool from_base(std::uint32_t i) { return i != kNone && (i & kBaseBit) != 0; }
  /// Whether definition i's body, parameter delimiters and defaults are spelled in the base's text.
  bool body_from_base(std::uint32_t i) const {
    return from_base(i) || (i != kNone && defs_[i].base_body);
  }
  const MacroTable* base() const { return base_; }
  std::string_view text() const { return text_; }
  const TokenBuffer& tokens() const { return *tokens_; }
  const std::vector<Region>& regions() const { return regions_; }

  /// Parses the definition whose defining command (a Definer) is token i, reading no token at or
  /// after limit. Returns the region it covers; fills def when the form is understood (def.role
  /// stays Definer when it is not). Used by build() and for definitions met inside expansions.
  /// (This, iffalse_end and looks_ahead read definitions: definition_reader.cpp.)
  Region parse_definition(std::uint32_t i, std::uint32_t limit, const Definition& definer,
                          Definition& def) const;
  /// The \fi that ends an \iffalse at token i, reading no token at or after limit; kNone if none.
  std::uint32_t iffalse_end(std::uint32_t i, std::uint32_t limit) const;

 private:
  std::string_view spelled(ByteRange r) const { return text_.substr(r.begin, r.end - r.begin); }
  std::uint32_t find_slot(Namespace space, std::string_view name) const;
  void insert(const Definition& def);
  void add_builtins();
  bool add_base();
  bool looks_ahead(const Definition& def) const;

  std::string_view text_;
  const TokenBuffer* tokens_ = nullptr;
  const MacroTable* base_ = nullptr;
  std::size_t base_names_ = 0;  ///< slots the last base needed (reserve() makes room for them)
  std::vector<Definition> defs_;
  std::vector<Region> regions_;
  bool unclosed_iffalse_ = false;     ///< an \iffalse the last build found no \fi for
  std::vector<std::uint32_t> slots_;  ///< open addressing: latest definition per name, or kNone
  std::uint32_t builtin_count_ = 0;
  /// A bit per (length, first and last byte) of every name in the table: most control words of a
  /// document are not the user's, and this answers that without hashing the name.
  std::array<std::uint64_t, 64> filter_{};
  static std::uint32_t filter_key(std::string_view name) {
    auto first = static_cast<unsigned char>(name.front()), last = static_cast<unsigned char>(name.back());
    return (static_cast<std::uint32_t>(name.size()) * 131u + first * 31u + last) & 4095u;
  }
  bool might_hold(std::string_view name) const {
    if (name.empty()) return true;
    std::uint32_t k = filter_key(name);
    return (filter_[k >> 6] >> (k & 63)) & 1u;
  }
  void remember(std::string_view name) {
    if (name.empty()) return;
    std::uint32_t k = filter_key(name);
    filter_[k >> 6] |= std::uint64_t{1} << (k & 63);
  }
};

}  // namespace perfectex::lexer::expand
