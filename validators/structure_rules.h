// F1, grouping and structure: braces, environments, math delimiters, \left/\right and the
// document environment, checked in one pass over the L1 expanded stream with a stack of open
// constructs: what one macro opens and another closes is balanced, and a problem inside an
// expansion is reported at the use. Definitions are checked for their own braces only; \iffalse
// blocks are skipped. After an edit it resumes from a checkpoint of its state.
// Threading: the scratch belongs to one worker; check_structure runs on that worker.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "lexer/expand/expansion_view.h"
#include "lexer/incremental_lexer.h"
#include "validators/mode_tracker.h"
#include "validators/rule_context.h"

namespace perfectex::validators {

enum class FrameKind : std::uint8_t { Brace, Environment, Math, Left };

struct Frame {
  FrameKind kind;
  Opener opener;                 ///< for Math and Left (and Brace)
  bool math_env;                 ///< an environment whose body is math (equation, align, ...)
  Span open;                     ///< the opening construct (\begin{name}, $, \left( ...)
  Span name;                     ///< environment name
  bool name_in_prelude = false;  ///< name is spelled in the prelude's text (a prelude's body)
  /// A problem inside this frame (a blank line in math, `&` inside \left) was already reported:
  /// TeX stops at the first, so later ones would only repeat it.
  bool inner_reported = false;
  std::uint32_t macro = lexer::expand::kNone;  ///< opened inside the expansion of this macro
};

/// Scratch space reused across runs: the stack never grows on the hot path. It keeps what the
/// last pass found, in the order found (diagnostics before suppression comments apply), and its
/// state at checkpoints after paragraph breaks, so that after an edit a pass can resume.
struct StructureScratch {
  static constexpr std::size_t kMaxDepth = 4096;
  StructureScratch();
  /// Sizes the checkpoints for n tokens; allocates only when the document grew.
  void prepare(std::size_t n);
  std::vector<Frame> frames;
  DiagnosticSink found;

  /// The checker's and its view's state after a paragraph break the view was at rest at, with
  /// few constructs open.
  struct Checkpoint {
    static constexpr std::size_t kMaxFrames = 8;
    std::uint32_t token;
    std::uint32_t diagnostics;  ///< found so far
    std::uint32_t events;       ///< the view's events so far
    std::uint64_t steps;        ///< the view's steps so far
    bool budget_reported;
    bool ran_away;  ///< the view left an argument whose `{` is never closed unread before it
    bool has_documentclass, begin_document_seen;
    Span documentclass, first_begin_document;
    std::uint8_t frame_count;
    std::array<Frame, kMaxFrames> frames;
  };
  std::uint32_t checkpoint_spacing = 1024;
  std::vector<Checkpoint> checkpoints;
  std::uint64_t steps = 0;  ///< the view's steps at the end of the last pass
  bool budget_reported = false;

  /// The previous pass's findings from the checkpoint a pass resumes at, and all its view's
  /// events (the caller saves them before it makes the new view): scratch.
  struct Saved {
    std::vector<Checkpoint> checkpoints;
    std::vector<Diagnostic> diagnostics;
    std::vector<lexer::expand::Event> events;
  } saved;
};

/// The kinds check_structure acts on (its view passes over the others without making items).
inline constexpr lexer::expand::KindMask kStructureKinds =
    lexer::expand::kind_bit(lexer::TokenKind::BeginGroup) |
    lexer::expand::kind_bit(lexer::TokenKind::EndGroup) |
    lexer::expand::kind_bit(lexer::TokenKind::MathShift) |
    lexer::expand::kind_bit(lexer::TokenKind::ControlWord) |
    lexer::expand::kind_bit(lexer::TokenKind::ControlSymbol) |
    lexer::expand::kind_bit(lexer::TokenKind::Alignment) |
    lexer::expand::kind_bit(lexer::TokenKind::ParagraphBreak);

/// modes: the mode tracker's pass over the same tokens; what it knows to be verbatim (an
/// environment the document declares with fancyvrb or listings, a \MakeShortVerb delimiter) is
/// not TeX, and has no structure.
/// The diagnostics go to scratch.found (ctx.out decides which rules run and their severity).
void check_structure(const RuleContext& ctx, lexer::expand::ExpansionView& view,
                     StructureScratch& scratch, const ModeScratch& modes);
/// The same, when scratch holds the pass over the tokens before edit (and scratch.saved.events
/// that pass's view's events), over a fresh view, with the same macro table but for the edit's
/// moves: resumes at the last checkpoint before the
/// edit and stops at a paragraph break at or after token `until` where the state is the
/// previous pass's, moving the rest of that pass's findings (and its view's events) over.
/// Returns the token after the one it stopped at, or the number of tokens.
std::size_t check_structure(const RuleContext& ctx, lexer::expand::ExpansionView& view,
                            StructureScratch& scratch, const ModeScratch& modes,
                            const lexer::TokenEdit& edit, std::size_t until);

}  // namespace perfectex::validators
