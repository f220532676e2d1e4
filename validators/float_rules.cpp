#include "validators/float_rules.h"

#include <algorithm>

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

constexpr std::string_view kFloats[] = {"figure", "figure*", "table", "table*", "sidewaysfigure",
                                        "sidewaystable"};

bool is_float(std::string_view name) {
  for (std::string_view f : kFloats) {
    if (f == name) return true;
  }
  return false;
}

// \begin{figure}[h]
void placement(const RuleContext& ctx, std::size_t close) {
  const lexer::TokenBuffer& toks = ctx.tokens;
  std::size_t j = close + 1;
  if (j + 2 < toks.size() && toks.kind(j) == TokenKind::OpenBracket &&
      toks.kind(j + 1) == TokenKind::Text && toks.kind(j + 2) == TokenKind::CloseBracket &&
      ctx.token_text(j + 1) == "h") {
    ctx.out.emit(make_diagnostic(RuleId::HerePlacementAlone, token_span(ctx, j + 1)));
  }
}

void environment(const RuleContext& ctx, const Event& e, FloatState& state) {
  std::size_t close = e.group;
  Span name = event_name(ctx, e);
  if (!is_float(ctx.text.substr(name.begin, name.end - name.begin))) return;
  Span whole = {ctx.tokens.begin(e.token), ctx.tokens.end(close)};
  if (e.cmd == Cmd::Begin) {
    placement(ctx, close);
    if (state.depth < state.floats.size()) state.floats[state.depth++] = {whole, {}, {}, false};
    return;
  }
  if (state.depth == 0) return;
  const FloatState::Float& f = state.floats[--state.depth];
  if (!f.caption_seen) {
    ctx.out.emit(make_diagnostic(RuleId::FloatWithoutCaption, f.open));
  } else if (!f.early_label.empty()) {
    Diagnostic d = make_diagnostic(RuleId::LabelBeforeCaption, f.early_label);
    d.related = f.caption;
    d.has_related = true;
    ctx.out.emit(d);
  }
}

// An absolute path in \includegraphics[...]{path}; the optional argument ends in its paragraph,
// as LaTeX reads it.
void image_path(const RuleContext& ctx, std::size_t i) {
  const lexer::TokenBuffer& toks = ctx.tokens;
  const std::size_t n = toks.size();
  std::size_t j = i + 1;
  if (j < n && toks.kind(j) == TokenKind::Text && ctx.token_text(j) == "*") ++j;
  if (j < n && toks.kind(j) == TokenKind::OpenBracket) {
    while (j < n && toks.kind(j) != TokenKind::CloseBracket) {
      if (toks.kind(j) == TokenKind::ParagraphBreak) return;
      ++j;
    }
    ++j;
  }
  if (j + 2 >= n || toks.kind(j) != TokenKind::BeginGroup) return;
  std::size_t k = j + 1;
  while (k < n && k < j + 16 && toks.kind(k) != TokenKind::EndGroup) ++k;
  if (k >= n || toks.kind(k) != TokenKind::EndGroup) return;
  Span path = {toks.end(j), toks.begin(k)};
  std::string_view p = ctx.text.substr(path.begin, path.end - path.begin);
  bool absolute = p.starts_with("/") || p.starts_with("~/") ||
                  (p.size() > 2 && is_letter(p[0]) && p[1] == ':' && (p[2] == '/' || p[2] == '\\'));
  if (!absolute) return;
  Diagnostic d = make_diagnostic(RuleId::AbsoluteImagePath, path);
  d.args[0] = path;
  ctx.out.emit(d);
}

}  // namespace

bool FloatState::operator==(const FloatState& o) const {
  return depth == o.depth && std::equal(floats.begin(), floats.begin() + depth, o.floats.begin());
}

bool FloatState::map(const lexer::TokenEdit& edit) {
  for (std::uint32_t k = 0; k < depth; ++k) {
    for (Span* s : {&floats[k].open, &floats[k].caption, &floats[k].early_label}) {
      if (!edit.span(s->begin, s->end)) return false;
    }
  }
  return true;
}

void float_event(const RuleContext& ctx, const Event& e, FloatState& state) {
  switch (e.cmd) {
    case Cmd::Begin:
    case Cmd::End:
      environment(ctx, e, state);
      break;
    case Cmd::Caption:
      if (state.depth > 0 && !state.floats[state.depth - 1].caption_seen) {
        state.floats[state.depth - 1].caption_seen = true;
        state.floats[state.depth - 1].caption = token_span(ctx, e.token);
      }
      break;
    case Cmd::Label: {
      FloatState::Float* top = state.depth > 0 ? &state.floats[state.depth - 1] : nullptr;
      if (top != nullptr && !top->caption_seen && top->early_label.empty())
        top->early_label = token_span(ctx, e.token);
      break;
    }
    case Cmd::Includegraphics:
      image_path(ctx, e.token);
      break;
    default:
      break;
  }
}

}  // namespace perfectex::validators
