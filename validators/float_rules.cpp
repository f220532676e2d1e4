#include "validators/float_rules.h"

#include <array>

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

class FloatChecker {
 public:
  FloatChecker(const RuleContext& ctx, const ModeScratch& m)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m) {}

  void run() {
    for (const Event& e : m_.events) {
      switch (e.cmd) {
        case Cmd::Begin:
        case Cmd::End:
          environment(e);
          break;
        case Cmd::Caption:
          if (depth_ > 0 && !top().caption_seen) {
            top().caption_seen = true;
            top().caption = token_span(ctx_, e.token);
          }
          break;
        case Cmd::Label:
          if (depth_ > 0 && !top().caption_seen && top().early_label.empty())
            top().early_label = token_span(ctx_, e.token);
          break;
        case Cmd::Includegraphics:
          image_path(e.token);
          break;
        default:
          break;
      }
    }
  }

 private:
  struct Float {
    Span open;
    Span caption;
    Span early_label;
    bool caption_seen;
  };

  Float& top() { return floats_[depth_ - 1]; }

  void environment(const Event& e) {
    std::size_t close = e.group;
    Span name = event_name(ctx_, e);
    if (!is_float(ctx_.text.substr(name.begin, name.end - name.begin))) return;
    Span whole = {toks_.begin(e.token), toks_.end(close)};
    if (e.cmd == Cmd::Begin) {
      placement(close);
      if (depth_ < floats_.size()) floats_[depth_++] = {whole, {}, {}, false};
      return;
    }
    if (depth_ == 0) return;
    Float f = floats_[--depth_];
    if (!f.caption_seen) {
      ctx_.out.emit(make_diagnostic(RuleId::FloatWithoutCaption, f.open));
    } else if (!f.early_label.empty()) {
      Diagnostic d = make_diagnostic(RuleId::LabelBeforeCaption, f.early_label);
      d.related = f.caption;
      d.has_related = true;
      ctx_.out.emit(d);
    }
  }

  // \begin{figure}[h]
  void placement(std::size_t close) {
    std::size_t j = close + 1;
    if (j + 2 < n_ && toks_.kind(j) == TokenKind::OpenBracket && toks_.kind(j + 1) == TokenKind::Text &&
        toks_.kind(j + 2) == TokenKind::CloseBracket && ctx_.token_text(j + 1) == "h") {
      Diagnostic d = make_diagnostic(RuleId::HerePlacementAlone, token_span(ctx_, j + 1));
      ctx_.out.emit(d);
    }
  }

  void image_path(std::size_t i) {
    std::size_t j = i + 1;
    if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*") ++j;
    if (j < n_ && toks_.kind(j) == TokenKind::OpenBracket) {
      while (j < n_ && toks_.kind(j) != TokenKind::CloseBracket) ++j;
      ++j;
    }
    if (j + 2 >= n_ || toks_.kind(j) != TokenKind::BeginGroup) return;
    std::size_t k = j + 1;
    while (k < n_ && k < j + 16 && toks_.kind(k) != TokenKind::EndGroup) ++k;
    if (k >= n_ || toks_.kind(k) != TokenKind::EndGroup) return;
    Span path = {toks_.end(j), toks_.begin(k)};
    std::string_view p = ctx_.text.substr(path.begin, path.end - path.begin);
    bool absolute = p.starts_with("/") || p.starts_with("~/") ||
                    (p.size() > 2 && is_letter(p[0]) && p[1] == ':' && (p[2] == '/' || p[2] == '\\'));
    if (!absolute) return;
    Diagnostic d = make_diagnostic(RuleId::AbsoluteImagePath, path);
    d.args[0] = path;
    ctx_.out.emit(d);
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const ModeScratch& m_;
  std::array<Float, 8> floats_{};
  std::size_t depth_ = 0;
};

}  // namespace

void check_floats(const RuleContext& ctx, const ModeScratch& modes) {
  FloatChecker(ctx, modes).run();
}

}  // namespace perfectex::validators
