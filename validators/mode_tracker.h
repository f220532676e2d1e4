// The mode tracker: one pass over the tokens that knows, at every token, whether it is math
// (inline or display; \text{} inside math is text again), verbatim (the lexer's Verbatim tokens,
// environments declared with fancyvrb/listings, \MakeShortVerb), picture code (tikz, xy-pic), a
// definition body, the preamble, or an argument that is a key or path; and that lists the tokens
// the rule families look at (events). After an edit it resumes from a checkpoint of its state.
// Threading: a ModeScratch belongs to one worker.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "lexer/incremental_lexer.h"
#include "validators/commands.h"
#include "validators/rule_context.h"
#include "validators/token_walk.h"
#include "validators/word_chars.h"

namespace perfectex::validators {

/// Mode bits of a token.
namespace mode {
inline constexpr std::uint16_t kMath = 1;
inline constexpr std::uint16_t kDisplay = 2;      ///< display math (\[, $$, equation, align, ...)
inline constexpr std::uint16_t kVerbatim = 4;     ///< verbatim text of any kind
inline constexpr std::uint16_t kCode = 8;         ///< tikz/pgf/xy-pic picture code
inline constexpr std::uint16_t kDefinition = 16;  ///< inside \newcommand, \def, ... arguments
inline constexpr std::uint16_t kPreamble = 32;    ///< after \documentclass, before the document
inline constexpr std::uint16_t kOpaque = 64;      ///< a key, name, path or length argument
inline constexpr std::uint16_t kUnknownArg = 128;  ///< an argument of a command we do not know
inline constexpr std::uint16_t kItalic = 256;      ///< after an italic switch ({\it ..}, {\em ..})
inline constexpr std::uint16_t kItalicCommand = 512;  ///< inside \emph{}, \textit{}, \textsl{}
inline constexpr std::uint16_t kFrenchSpacing = 1024;
/// Where no prose rule (quotes, dashes, spacing) may fire.
inline constexpr std::uint16_t kNotProse = kMath | kVerbatim | kCode | kDefinition | kOpaque;
}  // namespace mode

/// The kind of the innermost environment.
enum class EnvKind : std::uint8_t {
  None,
  Document,
  Prose,
  Centered,  ///< center, flushleft, flushright
  Float,
  Tabular,
  Math,
  Code,
  Other,
};

struct Event {
  std::uint32_t token;
  /// Text and \/: token index of the innermost open `{` (0 when none). Begin and End: index of
  /// the `}` closing the environment name (see event_name).
  std::uint32_t group;
  Cmd cmd;
  EnvKind env;
  std::uint8_t chars;  ///< for Text: chars:: bits
  std::uint16_t mode;
  friend bool operator==(const Event&, const Event&) = default;
};

enum class MathOpener : std::uint8_t { Dollar, DoubleDollar, Paren, Bracket };

/// A math span opened by $, $$, \( or \[ (closed when close_token != kNoToken).
struct MathSpan {
  static constexpr std::uint32_t kNoToken = 0xFFFFFFFFu;
  std::uint32_t open_token;
  std::uint32_t close_token;
  Span open;
  Span close;
  MathOpener opener;
  std::uint16_t outer_mode;  ///< the mode around the span
  friend bool operator==(const MathSpan&, const MathSpan&) = default;
};

/// What the document declares as the tracker reads it, but the names (Declarations): how many
/// names, short-verb characters, packages that change the rules. Small, so checkpoints copy it.
struct DeclarationState {
  std::size_t verbatim_env_count = 0;
  std::size_t prose_env_count = 0;
  std::array<char, 8> short_verb{};
  std::size_t short_verb_count = 0;
  bool has_documentclass = false;
  bool has_begin_document = false;
  bool german_quotes = false;       ///< babel/ngerman shorthands make " a command
  bool french = false;              ///< french typography puts spaces before ; : ! ?
  bool self_contained = true;       ///< no \input/\include: every label is in this file
  bool underscore_package = false;  ///< `_` is allowed in text
  std::size_t label_macro_count = 0;
  bool label_macros_overflowed = false;  ///< more than kMaxNames label macros
  friend bool operator==(const DeclarationState&, const DeclarationState&) = default;
};

/// What the document declares: environments it makes verbatim or prose, short-verb characters,
/// packages that change the rules, macros that call \label. The names only ever grow, so the
/// names at some point are the first counts of the names at any later point.
struct Declarations : DeclarationState {
  static constexpr std::size_t kMaxNames = 64;
  std::array<Span, kMaxNames> verbatim_envs{};  ///< declared with fancyvrb/listings
  std::array<Span, kMaxNames> prose_envs{};     ///< declared with \newtheorem
  /// Macros whose definition calls \label (\newcommand{\symlabel}[1]{...\label{#1}}): their uses
  /// are Label events.
  std::array<Span, kMaxNames> label_macros{};

  const DeclarationState& mark() const { return *this; }
  void restore(const DeclarationState& state) { static_cast<DeclarationState&>(*this) = state; }
};

/// What the tracker finds, in order of tokens.
struct TrackerOutputs {
  /// Token ranges that are verbatim, picture code or a definition (mode bits in kind), in order.
  struct Region {
    std::uint32_t first;
    std::uint32_t last;
    std::uint16_t kind;
    friend bool operator==(const Region&, const Region&) = default;
  };
  lexer::LargeVector<Region> regions;
  lexer::LargeVector<Event> events;  ///< commands and pseudo-commands, in order
  lexer::LargeVector<Event> texts;   ///< Text tokens that may concern a rule, in order
  lexer::LargeVector<MathSpan> math;
  lexer::LargeVector<std::uint32_t> comments;  ///< Comment token indices
  /// Where a paragraph break cut off what cannot span it (an argument that cannot, math):
  /// the break, and the opening token of the outermost construct cut off.
  struct Cut {
    std::uint32_t paragraph;
    std::uint32_t opener;
    friend bool operator==(const Cut&, const Cut&) = default;
  };
  lexer::LargeVector<Cut> cuts;
};

struct ModeScratch : Declarations, TrackerOutputs {
  static constexpr std::size_t kMaxDepth = 512;

  struct Frame {
    enum class Kind : std::uint8_t { Group, Math, Env } kind;
    std::uint16_t saved_mode;
    EnvKind saved_env;
    std::uint32_t token;  ///< the opening token
    std::uint32_t math_index;  ///< Math frames: index into math
    Span name;                 ///< Env frames: the environment name
    MathOpener opener;
    bool italic_switched;  ///< Group frames: an italic switch happened inside
    ArgClass args = ArgClass::None;  ///< Group frames: the argument class the group opened with
    bool short_arg = false;          ///< Group frames: an argument that cannot span a paragraph
  };
  std::vector<Frame> frames;

  /// The tracker's whole state after a paragraph break where no math is open, every
  /// checkpoint_spacing tokens or so: an edit resumes from the last one before it.
  struct Checkpoint {
    static constexpr std::size_t kMaxFrames = 8;
    std::uint32_t token;                                   ///< the paragraph break
    std::uint32_t regions, events, texts, math, comments, cuts;  ///< the outputs' sizes then
    std::uint16_t mode;
    EnvKind env;
    ArgClass pending;
    bool pending_short, brackets, italic_command;
    std::uint8_t frame_count;
    std::array<Frame, kMaxFrames> frames;
    DeclarationState declared;
  };
  /// Tokens between checkpoints, at least (small in tests, to have many).
  std::uint32_t checkpoint_spacing = 1024;
  std::vector<Checkpoint> checkpoints;

  /// An incremental pass's outputs from the checkpoint it resumed at (scratch), up to about
  /// half of window_items of each kind: past that the pass goes on in the outputs (small in
  /// tests, to have it happen).
  TrackerOutputs window;
  std::size_t window_items = 1 << 15;
  /// The previous pass's checkpoints from there on, and its declarations at its end (scratch).
  struct Saved {
    std::vector<Checkpoint> checkpoints;
    Declarations declared;
  } saved;

  ModeScratch();
  /// Sizes the per-token arrays for n tokens; allocates only when the document grew.
  void prepare(std::size_t n);
};

/// A diagnostic of rule at range (severity is set by the emitter).
inline Diagnostic make_diagnostic(RuleId rule, Span range) {
  Diagnostic d;
  d.rule = rule;
  d.range = range;
  return d;
}

/// Tokens [begin, end) of a document.
struct TokenWindow {
  std::size_t begin = 0;
  std::size_t end = static_cast<std::size_t>(-1);
};

/// The items of a tracker output (events, texts, math spans: in order of tokens) in window w.
template <typename T>
std::span<const T> in_window(const lexer::LargeVector<T>& items, TokenWindow w) {
  auto token = [](const T& item) {
    if constexpr (std::is_same_v<T, MathSpan>) {
      return item.open_token;
    } else {
      return item.token;
    }
  };
  auto first = std::partition_point(items.begin(), items.end(),
                                    [&](const T& item) { return token(item) < w.begin; });
  auto last =
      std::partition_point(first, items.end(), [&](const T& item) { return token(item) < w.end; });
  return {first, last};
}

/// Fills scratch for the document in ctx.
void track_modes(const RuleContext& ctx, ModeScratch& scratch);
/// The same, when scratch holds the pass over the tokens before edit: resumes at the last
/// checkpoint before the edit and stops where the state meets the previous pass's again, moving
/// the rest of the previous outputs over. Returns the (new) tokens it went over: from the one
/// after the checkpoint's paragraph break to the one after the break it stopped at (the number
/// of tokens when it ran to the end).
TokenWindow track_modes(const RuleContext& ctx, ModeScratch& scratch, const lexer::TokenEdit& edit);

/// The environment name of a Begin or End event.
inline Span event_name(const RuleContext& ctx, const Event& e) {
  std::size_t k = e.group;
  while (k > e.token && ctx.tokens.kind(k - 1) == lexer::TokenKind::Text) --k;
  return {ctx.tokens.end(k - 1), ctx.tokens.begin(e.group)};
}

}  // namespace perfectex::validators
