#include "validators/deprecated_rules.h"

#include "validators/replacements.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

class DeprecatedChecker {
 public:
  DeprecatedChecker(const RuleContext& ctx, const ModeScratch& m, TokenWindow w)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m), w_(w) {}

  void run() {
    for (const Event& e : in_window(m_.events, w_)) {
      std::size_t i = e.token;
      switch (e.cmd) {
        case Cmd::OldFont:
        case Cmd::FontSwitch:
        case Cmd::ItalicSwitch:
          font(e);
          break;
        case Cmd::Centerline:
          if (!(e.mode & mode::kPreamble))
            ctx_.out.emit(make_diagnostic(RuleId::Centerline, token_span(ctx_, i)));
          break;
        case Cmd::Primitive:
          if (!(e.mode & mode::kPreamble) && ctx_.out.wants(RuleId::TexPrimitive)) {
            Diagnostic d = make_diagnostic(RuleId::TexPrimitive, token_span(ctx_, i));
            d.args[0] = d.range;
            ctx_.out.emit(d);
          }
          break;
        case Cmd::OverPrimitive:
          if (!(e.mode & mode::kMath) && ctx_.out.wants(RuleId::TexPrimitive)) {
            Diagnostic d = make_diagnostic(RuleId::TexPrimitive, token_span(ctx_, i));
            d.args[0] = d.range;
            ctx_.out.emit(d);
          }
          break;
        case Cmd::Def:
          if (m_.has_documentclass && !(e.mode & mode::kPreamble) && e.env != EnvKind::None)
            ctx_.out.emit(make_diagnostic(RuleId::DefInDocument, token_span(ctx_, i)));
          break;
        case Cmd::Usepackage:
          packages(i);
          break;
        default:
          break;
      }
    }
  }

 private:
  void font(const Event& e) {
    std::size_t i = e.token;
    std::string_view name = ctx_.control_name(i);
    std::optional<std::uint8_t> index = font_index(name);
    Span cmd = token_span(ctx_, i);
    // \bf{x}: the braces do not limit the switch.
    if (index && !font_table()[*index].command.empty() && i + 1 < n_ &&
        toks_.kind(i + 1) == TokenKind::BeginGroup && !(e.mode & mode::kMath) &&
        font_table()[*index].name != "cal") {
      Diagnostic d = make_diagnostic(RuleId::FontSwitchWithArgument, cmd);
      d.args[0] = cmd;
      d.variant = *index;
      ctx_.out.emit(d);
      return;
    }
    if (e.cmd != Cmd::OldFont || !index) return;
    if (((e.mode & mode::kMath) != 0) != (name == "cal")) return;
    Diagnostic d = make_diagnostic(RuleId::DeprecatedFontCommand, cmd);
    d.args[0] = cmd;
    d.variant = *index;
    // {\bf text} (a group of its own, not a command's argument) becomes \textbf{text}.
    std::size_t open = prev_significant(ctx_, i);
    if (open != kNoIndex && toks_.kind(open) == TokenKind::BeginGroup && open + 1 == i) {
      TokenKind before = open > 0 ? toks_.kind(open - 1) : TokenKind::Space;
      if (before != TokenKind::ControlWord && before != TokenKind::EndGroup &&
          before != TokenKind::CloseBracket && before != TokenKind::ControlSymbol) {
        std::size_t after = i + 1;
        while (after < n_ && toks_.kind(after) == TokenKind::Space) ++after;
        d.fix_at = toks_.begin(open);
        d.args[1] = {toks_.begin(i), after < n_ ? toks_.begin(after) : toks_.end(i)};
      }
    }
    ctx_.out.emit(d);
  }

  // \usepackage[options]{a, b}: each obsolete name.
  void packages(std::size_t i) {
    std::size_t j = i + 1;
    while (j < n_ && toks_.kind(j) == TokenKind::Space) ++j;
    if (j < n_ && toks_.kind(j) == TokenKind::OpenBracket) {
      while (j < n_ && toks_.kind(j) != TokenKind::CloseBracket) ++j;
      ++j;
    }
    while (j < n_ && toks_.kind(j) == TokenKind::Space) ++j;
    if (j >= n_ || toks_.kind(j) != TokenKind::BeginGroup) return;
    for (std::size_t k = j + 1; k < n_ && toks_.kind(k) != TokenKind::EndGroup; ++k) {
      if (toks_.kind(k) != TokenKind::Text) continue;
      std::string_view t = ctx_.token_text(k);
      std::uint32_t base = toks_.begin(k);
      std::size_t start = 0;
      for (std::size_t c = 0; c <= t.size(); ++c) {
        if (c < t.size() && t[c] != ',') continue;
        std::string_view name = t.substr(start, c - start);
        if (auto index = obsolete_package_index(name)) {
          Span s = {base + static_cast<std::uint32_t>(start), base + static_cast<std::uint32_t>(c)};
          Diagnostic d = make_diagnostic(RuleId::ObsoletePackage, s);
          d.args[0] = s;
          d.variant = *index;
          ctx_.out.emit(d);
        }
        start = c + 1;
      }
    }
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const ModeScratch& m_;
  TokenWindow w_;
};

}  // namespace

void check_deprecated(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window) {
  DeprecatedChecker(ctx, modes, window).run();
}

}  // namespace perfectex::validators
