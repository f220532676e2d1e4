#include "validators/sectioning_rules.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

int level_of(std::string_view name) {
  constexpr std::string_view kLevels[] = {"part",          "chapter",   "section",
                                          "subsection",    "subsubsection", "paragraph",
                                          "subparagraph"};
  for (int k = 0; k < 7; ++k) {
    if (kLevels[k] == name) return k - 1;
  }
  return -2;
}

void empty_title(const RuleContext& ctx, Span cmd, std::size_t j) {
  const lexer::TokenBuffer& toks = ctx.tokens;
  if (j + 1 >= toks.size() || toks.kind(j) != TokenKind::BeginGroup ||
      toks.kind(j + 1) != TokenKind::EndGroup)
    return;
  Diagnostic d = make_diagnostic(RuleId::EmptySectionTitle, {cmd.begin, toks.end(j + 1)});
  d.args[0] = cmd;
  ctx.out.emit(d);
}

void heading(const RuleContext& ctx, std::size_t i, SectioningState& state) {
  const lexer::TokenBuffer& toks = ctx.tokens;
  int level = level_of(ctx.control_name(i));
  Span cmd = token_span(ctx, i);
  std::size_t j = i + 1;
  if (j < toks.size() && toks.kind(j) == TokenKind::Text && ctx.token_text(j) == "*")
    return;  // unnumbered headings are free-form: no level to keep, no title required
  if (level >= 0 && level <= 3 && state.level >= 0 && level > state.level + 1) {
    Diagnostic d = make_diagnostic(RuleId::SectionLevelSkip, cmd);
    d.args[0] = cmd;
    d.args[1] = state.heading;
    d.related = state.heading;
    d.has_related = true;
    ctx.out.emit(d);
  }
  state.level = level;
  state.heading = cmd;
  if (level <= 3) empty_title(ctx, cmd, j);
}

// `\\` followed by a blank line or \par in running text.
void line_break(const RuleContext& ctx, const Event& e) {
  if (e.mode & (mode::kNotProse | mode::kUnknownArg)) return;
  if (e.env != EnvKind::Document && e.env != EnvKind::Prose && e.env != EnvKind::None) return;
  const lexer::TokenBuffer& toks = ctx.tokens;
  const std::size_t n = toks.size();
  std::size_t i = e.token;
  std::size_t j = i + 1;
  while (j < n && (toks.kind(j) == TokenKind::Space || toks.kind(j) == TokenKind::Comment ||
                   toks.kind(j) == TokenKind::Newline))
    ++j;
  bool ends = j < n && (toks.kind(j) == TokenKind::ParagraphBreak ||
                        (toks.kind(j) == TokenKind::ControlWord && ctx.control_name(j) == "par"));
  if (!ends) return;
  ctx.out.emit(make_diagnostic(RuleId::LineBreakAtParagraphEnd, token_span(ctx, i)));
}

}  // namespace

void sectioning_event(const RuleContext& ctx, const Event& e, SectioningState& state) {
  if (e.mode & mode::kPreamble) return;
  if (e.cmd == Cmd::Section) heading(ctx, e.token, state);
  if (e.cmd == Cmd::LineBreak) line_break(ctx, e);
}

}  // namespace perfectex::validators
