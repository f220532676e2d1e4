// F1, grouping and structure: braces, environments, math delimiters, \left/\right and the
// document environment, checked in one pass over the L1 expanded stream with a stack of open
// constructs: what one macro opens and another closes is balanced, and a problem inside an
// expansion is reported at the use. Definitions are checked for their own braces only; \iffalse
// blocks are skipped.
// Threading: the scratch belongs to one worker; check_structure runs on that worker.
#pragma once

#include <cstdint>
#include <vector>

#include "lexer/expand/expansion_view.h"
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

/// Scratch space reused across runs: the stack never grows on the hot path.
struct StructureScratch {
  static constexpr std::size_t kMaxDepth = 4096;
  StructureScratch() { frames.reserve(kMaxDepth); }
  std::vector<Frame> frames;
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
void check_structure(const RuleContext& ctx, lexer::expand::ExpansionView& view,
                     StructureScratch& scratch, const ModeScratch& modes);

}  // namespace perfectex::validators
