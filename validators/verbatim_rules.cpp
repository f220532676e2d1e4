#include "validators/verbatim_rules.h"

#include "validators/replacements.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

std::string_view name_of(const RuleContext& ctx, Span s) {
  return ctx.text.substr(s.begin, s.end - s.begin);
}

// Text after \end{verbatim} up to the line end (the verbatim package drops it).
void text_after_end(const RuleContext& ctx, std::size_t close) {
  std::size_t first = kNoIndex, last = kNoIndex;
  for (std::size_t j = close + 1; j < ctx.tokens.size(); ++j) {
    TokenKind k = ctx.tokens.kind(j);
    if (k == TokenKind::Newline || k == TokenKind::ParagraphBreak || k == TokenKind::Comment)
      break;
    if (k == TokenKind::Space) continue;
    if (first == kNoIndex) first = j;
    last = j;
  }
  if (first != kNoIndex)
    ctx.out.emit(make_diagnostic(RuleId::TextAfterEndVerbatim,
                                 {ctx.tokens.begin(first), ctx.tokens.end(last)}));
}

// \verb needs a delimiter right after it and the same delimiter again on the line.
void verb(const RuleContext& ctx, std::size_t i) {
  std::size_t n = ctx.tokens.size();
  std::size_t j = i + 1;
  Span range = token_span(ctx, i);
  if (j < n && ctx.tokens.kind(j) == TokenKind::Verbatim) {
    std::string_view arg = ctx.token_text(j);
    std::size_t at = !arg.empty() && arg[0] == '*' ? 1 : 0;
    if (arg.size() >= at + 2 && arg.back() == arg[at]) return;
    range.end = ctx.tokens.end(j);
  } else if (j < n && ctx.tokens.kind(j) != TokenKind::Newline &&
             ctx.tokens.kind(j) != TokenKind::ParagraphBreak) {
    return;  // \verb followed by a space: TeX skips it and reads the delimiter after
  }
  ctx.out.emit(make_diagnostic(RuleId::UnterminatedVerb, range));
}

}  // namespace

bool VerbatimState::operator==(const VerbatimState& o) const {
  if (depth != o.depth || overflow != o.overflow) return false;
  for (std::uint32_t k = 0; k < depth; ++k) {
    if (!(centers[k].open == o.centers[k].open) || centers[k].in_float != o.centers[k].in_float)
      return false;
  }
  return true;
}

bool VerbatimState::map(const lexer::TokenEdit& edit) {
  for (std::uint32_t k = 0; k < depth; ++k) {
    if (!edit.span(centers[k].open.begin, centers[k].open.end)) return false;
  }
  return true;
}

void verbatim_event(const RuleContext& ctx, const Event& e, VerbatimState& state) {
  std::size_t i = e.token;
  switch (e.cmd) {
    case Cmd::Verb:
      verb(ctx, i);
      break;
    case Cmd::EnvironmentSwitch:
      if (!(e.mode & (mode::kPreamble | mode::kMath))) {
        Diagnostic d = make_diagnostic(RuleId::EnvironmentAsSwitch, token_span(ctx, i));
        d.args[0] = d.range;
        ctx.out.emit(d);
      }
      break;
    case Cmd::Begin:
    case Cmd::End: {
      std::size_t close = e.group;
      Span name = event_name(ctx, e);
      std::string_view text = name_of(ctx, name);
      Span whole = {ctx.tokens.begin(i), ctx.tokens.end(close)};
      if (e.cmd == Cmd::Begin) {
        if (font_index(text).has_value()) {
          Diagnostic d = make_diagnostic(RuleId::SwitchAsEnvironment, whole);
          d.args[0] = name;
          ctx.out.emit(d);
        } else if (text == "center") {
          if (state.depth < state.centers.size()) {
            state.centers[state.depth++] = {whole, e.env == EnvKind::Float};
          } else {
            ++state.overflow;
          }
        }
      } else if (text == "verbatim" || text == "verbatim*" || text == "comment") {
        text_after_end(ctx, close);
      } else if (text == "center") {
        if (state.overflow > 0) {
          --state.overflow;
        } else if (state.depth > 0 && state.centers[--state.depth].in_float) {
          Diagnostic d = make_diagnostic(RuleId::CenterInFloat, state.centers[state.depth].open);
          d.related = whole;
          d.has_related = true;
          ctx.out.emit(d);
        }
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace perfectex::validators
