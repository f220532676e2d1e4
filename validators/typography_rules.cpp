#include "validators/typography_rules.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

// Abbreviations whose period does not end a sentence. Titles take a tie before the name or
// number that follows ("Fig.~3"); the others an interword space before a lowercase word.
struct Abbreviation {
  std::string_view text;
  bool title;
};
constexpr Abbreviation kAbbreviations[] = {
    {"e.g.", false}, {"i.e.", false}, {"etc.", false},  {"cf.", false},   {"vs.", false},
    {"resp.", false}, {"approx.", false}, {"viz.", false}, {"al.", false}, {"w.r.t.", false},
    {"Dr.", true},   {"Mr.", true},   {"Mrs.", true},   {"Ms.", true},    {"Prof.", true},
    {"Fig.", true},  {"Figs.", true}, {"Eq.", true},    {"Eqs.", true},   {"Sec.", true},
    {"Ch.", true},   {"Thm.", true},  {"Lem.", true},   {"Prop.", true},  {"Cor.", true},
    {"Def.", true},  {"Vol.", true},  {"No.", true},    {"pp.", true},
};

class TypographyChecker {
 public:
  TypographyChecker(const RuleContext& ctx, const ModeScratch& m, TokenWindow w)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m), w_(w) {}

  void run() {
    for (const Event& e : in_window(m_.texts, w_)) {
      if (e.mode & (mode::kNotProse | mode::kPreamble)) continue;
      if (e.chars & chars::kDot) abbreviation(e);
      if ((e.chars & chars::kUpperEnd) && !(e.mode & mode::kFrenchSpacing)) capital_end(e);
      if (e.chars & chars::kPunct) space_before_punctuation(e);
    }
    for (const Event& e : in_window(m_.events, w_)) {
      bool prose = !(e.mode & (mode::kNotProse | mode::kPreamble));
      switch (e.cmd) {
        case Cmd::TextProducing:
        case Cmd::Ellipsis:
          if (prose) swallowed_space(e.token);
          break;
        case Cmd::Footnote:
          if (prose) space_before(e.token, RuleId::SpaceBeforeFootnote);
          break;
        case Cmd::Tilde:
          if (prose) tilde(e.token);
          break;
        case Cmd::ItalicCorrection:
          if (!(e.mode & mode::kMath)) italic_correction(e);
          break;
        case Cmd::ItalicGroupEnd:
          if (!(e.mode & mode::kMath)) italic_group_end(e.token);
          break;
        case Cmd::Accent:
          if (!(e.mode & mode::kMath)) text_accent(e.token);
          break;
        case Cmd::MathAccent:
          if (e.mode & mode::kMath) math_accent(e.token);
          break;
        case Cmd::Space:
          if (!(e.mode & (mode::kMath | mode::kVerbatim | mode::kCode)) && e.env != EnvKind::Tabular)
            ctx_.out.emit(make_diagnostic(RuleId::MultipleSpaces, token_span(ctx_, e.token)));
          break;
        default:
          break;
      }
    }
  }

 private:
  bool text_starts_with_letter(std::size_t j) const {
    return j < n_ && toks_.kind(j) == TokenKind::Text && is_letter(ctx_.text[toks_.begin(j)]);
  }

  // \LaTeX is: the space after the command is eaten. Not at a line end, and not before
  // punctuation, a brace or another command, where nothing is lost.
  void swallowed_space(std::size_t i) {
    if (i + 2 >= n_ || toks_.kind(i + 1) != TokenKind::Space || !text_starts_with_letter(i + 2))
      return;
    Diagnostic d = make_diagnostic(RuleId::SpaceAfterCommand, token_span(ctx_, i + 1));
    d.args[0] = token_span(ctx_, i);
    ctx_.out.emit(d);
  }

  // "e.g. the": the period is followed by one space and a word.
  void abbreviation(const Event& e) {
    std::size_t i = e.token;
    if (i + 2 >= n_ || toks_.kind(i + 1) != TokenKind::Space || toks_.kind(i + 2) != TokenKind::Text)
      return;
    if (e.mode & mode::kFrenchSpacing) return;
    std::string_view t = ctx_.token_text(i);
    char next = ctx_.text[toks_.begin(i + 2)];
    if (t.back() != '.' || !(is_letter(next) || is_digit(next))) return;
    for (const Abbreviation& a : kAbbreviations) {
      if (!t.ends_with(a.text)) continue;
      std::size_t start = t.size() - a.text.size();
      if (start > 0 && is_letter(t[start - 1])) continue;
      if (start == 0 && i > 0 && toks_.kind(i - 1) == TokenKind::ControlWord) continue;
      if (a.text == "al." && !(start == 0 && i >= 2 && toks_.kind(i - 1) == TokenKind::Space &&
                               ctx_.token_text(i - 2).ends_with("et")))
        continue;
      bool fires = a.title ? (is_letter(next) || is_digit(next)) : (is_lower(next) || is_digit(next));
      if (!fires) return;
      Diagnostic d = make_diagnostic(RuleId::AbbreviationSpace, token_span(ctx_, i + 1));
      d.args[0] = {toks_.begin(i) + static_cast<std::uint32_t>(start), toks_.end(i)};
      d.variant = a.title ? 1 : 0;
      ctx_.out.emit(d);
      return;
    }
  }

  // "NASA. The": TeX takes a period after a capital for an abbreviation; a sentence that ends
  // there needs \@ before the period.
  void capital_end(const Event& e) {
    std::size_t i = e.token;
    std::string_view t = ctx_.token_text(i);
    if (t.size() < 3) return;
    char p = t.back();
    if (p != '.' && p != '!' && p != '?') return;
    std::size_t k = t.size() - 1;
    std::size_t caps = 0;
    while (k > 0 && is_upper(t[k - 1])) {
      --k;
      ++caps;
    }
    if (caps < 2 || (k > 0 && is_letter(t[k - 1]))) return;
    if (i + 2 >= n_) return;
    TokenKind after = toks_.kind(i + 1);
    if (after != TokenKind::Space && after != TokenKind::Newline) return;
    std::size_t j = next_significant(ctx_, i + 1);
    if (j >= n_ || toks_.kind(j) != TokenKind::Text || !is_upper(ctx_.text[toks_.begin(j)])) return;
    std::uint32_t at = toks_.end(i) - 1;
    Diagnostic d = make_diagnostic(RuleId::SentenceEndAfterCapital, {at, at + 1});
    d.args[0] = d.range;
    d.fix_at = at;
    ctx_.out.emit(d);
  }

  // "word ?": a space before punctuation.
  void space_before_punctuation(const Event& e) {
    std::size_t i = e.token;
    std::string_view t = ctx_.token_text(i);
    char c = t[0];
    bool french_mark = c == ';' || c == ':' || c == '!' || c == '?';
    // Not a period: ". . ." is a spaced ellipsis.
    if (c != ',' && c != ';' && c != '!' && c != '?') return;
    if (french_mark && m_.french) return;
    if (t.size() > 1 && (t[1] == '.' || is_digit(t[1]) || is_letter(t[1]))) return;
    if (i < 2 || !space_after_word(ctx_, i - 1) || toks_.kind(i - 2) != TokenKind::Text) return;
    char before = ctx_.text[toks_.end(i - 2) - 1];
    if (!is_letter(before) && !is_digit(before)) return;
    Diagnostic d = make_diagnostic(RuleId::SpaceBeforePunctuation, token_span(ctx_, i - 1));
    d.args[0] = {toks_.begin(i), toks_.begin(i) + 1};
    ctx_.out.emit(d);
  }

  void space_before(std::size_t i, RuleId rule) {
    if (i == 0 || !space_after_word(ctx_, i - 1)) return;
    ctx_.out.emit(make_diagnostic(rule, token_span(ctx_, i - 1)));
  }

  // "table ~\ref": a space next to a tie.
  void tilde(std::size_t i) {
    if (i > 0 && toks_.kind(i - 1) == TokenKind::Space && i > 1 &&
        toks_.kind(i - 2) != TokenKind::Newline) {
      ctx_.out.emit(make_diagnostic(RuleId::SpaceAroundTilde, token_span(ctx_, i - 1)));
    } else if (i + 2 < n_ && toks_.kind(i + 1) == TokenKind::Space &&
               toks_.kind(i + 2) != TokenKind::Newline && toks_.kind(i + 2) != TokenKind::Comment) {
      ctx_.out.emit(make_diagnostic(RuleId::SpaceAroundTilde, token_span(ctx_, i + 1)));
    }
  }

  // The next character after token i, looking through closing braces.
  char next_char_after_braces(std::size_t i) const {
    std::size_t j = i + 1;
    while (j < n_ && toks_.kind(j) == TokenKind::EndGroup) ++j;
    if (j >= n_ || toks_.kind(j) != TokenKind::Text) return 0;
    return ctx_.text[toks_.begin(j)];
  }

  // Whether the last \/ before e (an event of m_.events) that corrects italic text is in e's
  // group: e adds nothing to it. Found by looking back, so that a pass over a window of events
  // finds what a whole pass finds.
  bool repeats_correction(const Event& e) const {
    for (const Event* p = &e; p-- != m_.events.data();) {
      if (e.group != 0 && p->token < e.group) return false;  // before the group opened
      if (p->cmd == Cmd::ItalicCorrection && (p->mode & mode::kItalic) && !(p->mode & mode::kMath))
        return p->group == e.group;
    }
    return false;
  }

  void italic_correction(const Event& e) {
    std::size_t i = e.token;
    Span range = token_span(ctx_, i);
    if (i > 0 && toks_.kind(i - 1) == TokenKind::Space)
      ctx_.out.emit(make_diagnostic(RuleId::SpaceBeforeItalicCorrection, token_span(ctx_, i - 1)));
    if (!(e.mode & mode::kItalic)) {
      // shelf\/ful breaks a ligature; {\it x}\/ corrects the group before.
      bool between_letters = i > 0 && i + 1 < n_ && toks_.kind(i - 1) == TokenKind::Text &&
                             toks_.kind(i + 1) == TokenKind::Text &&
                             is_letter(ctx_.text[toks_.end(i - 1) - 1]) &&
                             is_letter(ctx_.text[toks_.begin(i + 1)]);
      if (between_letters || (i > 0 && toks_.kind(i - 1) == TokenKind::EndGroup)) return;
      ctx_.out.emit(make_diagnostic(RuleId::RedundantItalicCorrection, range));
      return;
    }
    if (repeats_correction(e)) {
      ctx_.out.emit(make_diagnostic(RuleId::DuplicateItalicCorrection, range));
      return;
    }
    char next = next_char_after_braces(i);
    if (next == '.' || next == ',')
      ctx_.out.emit(make_diagnostic(RuleId::ItalicCorrectionBeforePunctuation, range));
  }

  // {\it word} word: the italic group ends before upright text without \/.
  void italic_group_end(std::size_t i) {
    if (i == 0 || toks_.kind(i - 1) != TokenKind::Text) return;
    if (!is_letter(ctx_.text[toks_.end(i - 1) - 1])) return;
    std::size_t j = i + 1;
    if (j < n_ && (toks_.kind(j) == TokenKind::Space || toks_.kind(j) == TokenKind::Newline)) ++j;
    if (!text_starts_with_letter(j)) return;
    Diagnostic d = make_diagnostic(RuleId::MissingItalicCorrection, token_span(ctx_, i));
    d.fix_at = toks_.begin(i);
    ctx_.out.emit(d);
  }

  // The letter an accent applies to: the next character, or a group holding one letter.
  Span accented_letter(std::size_t i) const {
    std::size_t j = i + 1;
    if (j < n_ && toks_.kind(j) == TokenKind::Space) ++j;
    if (j < n_ && toks_.kind(j) == TokenKind::BeginGroup) {
      if (j + 2 < n_ && toks_.kind(j + 1) == TokenKind::Text && toks_.length(j + 1) == 1 &&
          toks_.kind(j + 2) == TokenKind::EndGroup)
        return token_span(ctx_, j + 1);
      return {};
    }
    if (j < n_ && toks_.kind(j) == TokenKind::Text) return {toks_.begin(j), toks_.begin(j) + 1};
    return {};
  }

  void accent(std::size_t i, Span letter, std::uint8_t base) {
    if (letter.empty()) return;
    char c = ctx_.text[letter.begin];
    if (c != 'i' && c != 'j') return;
    Diagnostic d = make_diagnostic(RuleId::AccentOnDottedLetter, token_span(ctx_, i));
    d.args[0] = letter;
    d.variant = static_cast<std::uint8_t>(base + (c == 'j' ? 1 : 0));
    ctx_.out.emit(d);
  }

  void text_accent(std::size_t i) {
    // \' and friends take the next token; in a group only a single letter counts.
    accent(i, accented_letter(i), 0);
  }

  void math_accent(std::size_t i) { accent(i, accented_letter(i), 2); }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const ModeScratch& m_;
  TokenWindow w_;
};

}  // namespace

void check_typography(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window) {
  TypographyChecker(ctx, modes, window).run();
}

}  // namespace perfectex::validators
