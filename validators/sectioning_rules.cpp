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

class SectioningChecker {
 public:
  SectioningChecker(const RuleContext& ctx, const ModeScratch& m)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m) {}

  void run() {
    for (const Event& e : m_.events) {
      if (e.mode & mode::kPreamble) continue;
      if (e.cmd == Cmd::Section) heading(e.token);
      if (e.cmd == Cmd::LineBreak) line_break(e);
    }
  }

 private:
  void heading(std::size_t i) {
    int level = level_of(ctx_.control_name(i));
    Span cmd = token_span(ctx_, i);
    std::size_t j = i + 1;
    bool starred = j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*";
    if (starred) ++j;
    if (starred) {  // unnumbered headings are free-form: no level to keep
      empty_title(cmd, j, starred, level);
      return;
    }
    if (level >= 0 && level <= 3 && prev_level_ >= 0 && level > prev_level_ + 1) {
      Diagnostic d = make_diagnostic(RuleId::SectionLevelSkip, cmd);
      d.args[0] = cmd;
      d.args[1] = prev_;
      d.related = prev_;
      d.has_related = true;
      ctx_.out.emit(d);
    }
    prev_level_ = level;
    prev_ = cmd;
    empty_title(cmd, j, starred, level);
  }

  void empty_title(Span cmd, std::size_t j, bool starred, int level) {
    if (starred || level > 3 || j + 1 >= n_ || toks_.kind(j) != TokenKind::BeginGroup ||
        toks_.kind(j + 1) != TokenKind::EndGroup)
      return;
    Diagnostic d = make_diagnostic(RuleId::EmptySectionTitle, {cmd.begin, toks_.end(j + 1)});
    d.args[0] = cmd;
    ctx_.out.emit(d);
  }

  // `\\` followed by a blank line or \par in running text.
  void line_break(const Event& e) {
    if (e.mode & (mode::kNotProse | mode::kUnknownArg)) return;
    if (e.env != EnvKind::Document && e.env != EnvKind::Prose && e.env != EnvKind::None) return;
    std::size_t i = e.token;
    std::size_t j = i + 1;
    while (j < n_ && (toks_.kind(j) == TokenKind::Space || toks_.kind(j) == TokenKind::Comment ||
                      toks_.kind(j) == TokenKind::Newline))
      ++j;
    bool ends = j < n_ && (toks_.kind(j) == TokenKind::ParagraphBreak ||
                           (toks_.kind(j) == TokenKind::ControlWord && ctx_.control_name(j) == "par"));
    if (!ends) return;
    ctx_.out.emit(make_diagnostic(RuleId::LineBreakAtParagraphEnd, token_span(ctx_, i)));
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const ModeScratch& m_;
  int prev_level_ = -2;
  Span prev_;
};

}  // namespace

void check_sectioning(const RuleContext& ctx, const ModeScratch& modes) {
  SectioningChecker(ctx, modes).run();
}

}  // namespace perfectex::validators
