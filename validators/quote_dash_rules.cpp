#include "validators/quote_dash_rules.h"

#include "validators/replacements.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

bool is_quote(char c) {
  return c == '"' || c == '\'' || c == '`';
}

bool is_binary_operator(std::string_view t) {
  return t == "+" || t == "-" || t == "=" || t == "<" || t == ">" || t == "\\cdot" ||
         t == "\\times" || t == "\\pm" || t == "\\mp" || t == "\\le" || t == "\\leq" ||
         t == "\\ge" || t == "\\geq" || t == "\\ne" || t == "\\neq" || t == "\\equiv" ||
         t == "\\approx" || t == "\\cup" || t == "\\cap" || t == "\\oplus" || t == "\\otimes" ||
         t == "\\wedge" || t == "\\vee" || t == "\\circ" || t == "\\to";
}

class QuoteDashChecker {
 public:
  QuoteDashChecker(const RuleContext& ctx, const ModeScratch& m, TokenWindow w)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m), w_(w) {}

  void run() {
    for (const Event& e : in_window(m_.events, w_)) {
      if (e.cmd == Cmd::Ellipsis && (e.mode & mode::kMath) && !(e.mode & mode::kOpaque))
        wrong_ellipsis(e.token);
    }
    for (const Event& e : in_window(m_.texts, w_)) {
      if (e.mode & mode::kMath) {
        if ((e.chars & chars::kDot) && !(e.mode & (mode::kOpaque | mode::kUnknownArg)))
          dots(e.token, true);
        continue;
      }
      if (e.mode & (mode::kNotProse | mode::kPreamble)) continue;
      if (e.chars & chars::kQuote) quotes(e.token);
      if (e.chars & chars::kDot) dots(e.token, false);
      if (e.chars & chars::kDash) dashes(e.token);
    }
  }

 private:
  // The byte before text offset at, or 0 at the start of the document.
  char before(std::uint32_t at) const { return at > 0 ? ctx_.text[at - 1] : 0; }
  char after(std::uint32_t at) const { return at < ctx_.text.size() ? ctx_.text[at] : 0; }

  // Whether a quote at byte at opens (after a space, an opening bracket or a line start).
  bool opening_position(std::uint32_t at) const {
    char b = before(at);
    return b == 0 || b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '(' || b == '[' ||
           b == '{' || b == '~';
  }
  bool closing_position(std::uint32_t end) const {
    char a = after(end);
    return a == 0 || a == ' ' || a == '\t' || a == '\n' || a == '\r' || a == ',' || a == '.' ||
           a == ';' || a == ':' || a == '!' || a == '?' || a == ')' || a == '}' || a == ']';
  }

  void emit(RuleId rule, Span range, std::uint8_t variant = 0) {
    Diagnostic d = make_diagnostic(rule, range);
    d.args[0] = range;
    d.variant = variant;
    ctx_.out.emit(d);
  }

  void quotes(std::size_t i) {
    std::string_view t = ctx_.token_text(i);
    std::uint32_t base = toks_.begin(i);
    for (std::size_t k = 0; k < t.size();) {
      unsigned char c = static_cast<unsigned char>(t[k]);
      if (c == 0xB4) {
        acute(base + static_cast<std::uint32_t>(k));
        ++k;
        continue;
      }
      if (!is_quote(t[k])) {
        ++k;
        continue;
      }
      std::size_t start = k;
      bool has_straight = false, has_open = false, has_close = false;
      while (k < t.size() && is_quote(t[k])) {
        has_straight |= t[k] == '"';
        has_open |= t[k] == '`';
        has_close |= t[k] == '\'';
        ++k;
      }
      Span run = {base + static_cast<std::uint32_t>(start), base + static_cast<std::uint32_t>(k)};
      quote_run(run, has_straight, has_open, has_close);
    }
  }

  void quote_run(Span run, bool straight, bool open, bool close) {
    std::uint32_t len = run.end - run.begin;
    int kinds = int(straight) + int(open) + int(close);
    if (kinds > 1) {
      if (straight && m_.german_quotes) return;
      emit(RuleId::MixedQuotes, run);
      return;
    }
    bool opening = opening_position(run.begin) && !closing_position(run.end);
    bool closing = !opening_position(run.begin) && closing_position(run.end);
    if (straight) {
      if (m_.german_quotes || len > 1) return;
      if (opening) emit(RuleId::StraightDoubleQuote, run, 0);
      if (closing) emit(RuleId::StraightDoubleQuote, run, 1);
      return;
    }
    if (len >= 3) {
      emit(RuleId::TripleQuote, run, open ? 0 : 1);
      return;
    }
    if (close && opening && (is_letter(after(run.end)) || after(run.end) == '\\'))
      emit(RuleId::WrongOpeningQuote, run, static_cast<std::uint8_t>(len - 1));
    if (open && closing) emit(RuleId::WrongClosingQuote, run, static_cast<std::uint8_t>(len - 1));
  }

  // ´ (Latin-1 0xB4 or UTF-8 C2 B4) used as an apostrophe.
  void acute(std::uint32_t at) {
    unsigned char prev = static_cast<unsigned char>(before(at));
    if (prev == 0xC2) {
      emit(RuleId::AcuteAccentAsQuote, {at - 1, at + 1});
    } else if (prev < 0x80) {
      emit(RuleId::AcuteAccentAsQuote, {at, at + 1});
    }
  }

  // `...` in text and math; in math the neighbours choose \ldots or \cdots.
  void dots(std::size_t i, bool math) {
    std::string_view t = ctx_.token_text(i);
    std::uint32_t base = toks_.begin(i);
    for (std::size_t k = 0; k + 2 < t.size(); ++k) {
      if (t[k] != '.') continue;
      std::size_t start = k;
      while (k < t.size() && t[k] == '.') ++k;
      if (k - start != 3) continue;
      Span range = {base + static_cast<std::uint32_t>(start), base + static_cast<std::uint32_t>(k)};
      Dots variant = Dots::Dots;
      if (math) variant = math_dots(neighbour(range.begin, true), neighbour(range.end, false));
      emit(RuleId::Ellipsis, range, static_cast<std::uint8_t>(variant));
    }
  }

  // The text of the nearest non-space neighbour of a byte position in math: one character, or a
  // whole control word.
  std::string_view neighbour(std::uint32_t at, bool backwards) const {
    std::string_view text = ctx_.text;
    if (backwards) {
      std::uint32_t k = at;
      while (k > 0 && text[k - 1] == ' ') --k;
      if (k == 0) return {};
      std::uint32_t end = k;
      while (k > 0 && is_letter(text[k - 1])) --k;
      if (k > 0 && text[k - 1] == '\\' && k < end) return text.substr(k - 1, end - k + 1);
      return text.substr(end - 1, 1);
    }
    std::uint32_t k = at;
    while (k < text.size() && text[k] == ' ') ++k;
    if (k >= text.size()) return {};
    if (text[k] == '\\') {
      std::uint32_t e = k + 1;
      while (e < text.size() && is_letter(text[e])) ++e;
      return text.substr(k, e - k);
    }
    return text.substr(k, 1);
  }

  static Dots math_dots(std::string_view prev, std::string_view next) {
    if (prev == "," || next == ",") return Dots::Ldots;
    if (is_binary_operator(prev) || is_binary_operator(next)) return Dots::Cdots;
    return Dots::Dots;
  }

  // \cdots between commas, \ldots between operators.
  void wrong_ellipsis(std::size_t i) {
    std::string_view name = ctx_.control_name(i);
    Span range = token_span(ctx_, i);
    std::string_view prev = neighbour(range.begin, true), next = neighbour(range.end, false);
    if (name == "cdots" && prev == "," && next == ",") emit(RuleId::WrongEllipsis, range, 1);
    if (name == "ldots" && is_binary_operator(prev) && is_binary_operator(next))
      emit(RuleId::WrongEllipsis, range, 2);
  }

  void dashes(std::size_t i) {
    std::string_view t = ctx_.token_text(i);
    std::uint32_t base = toks_.begin(i);
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (t[k] != '-') continue;
      std::size_t start = k;
      while (k < t.size() && t[k] == '-') ++k;
      std::size_t len = k - start;
      Span range = {base + static_cast<std::uint32_t>(start), base + static_cast<std::uint32_t>(k)};
      char b = before(range.begin), a = after(range.end);
      if (len == 1 && t.size() == 1 && b == ' ' && a == ' ') {
        // "word - word": a hyphen standing for a dash.
        if (i >= 2 && i + 2 < n_ && toks_.kind(i - 2) == TokenKind::Text &&
            toks_.kind(i + 2) == TokenKind::Text &&
            is_letter(ctx_.text[toks_.end(i - 2) - 1]) && is_letter(ctx_.text[toks_.begin(i + 2)]))
          emit(RuleId::HyphenAsDash, range);
      } else if (len == 2 && is_lower(b) && is_lower(a)) {
        emit(RuleId::EnDashBetweenWords, range);
      } else if (len == 3 && is_digit(b) && is_digit(a)) {
        emit(RuleId::EmDashBetweenNumbers, range);
      }
      --k;
    }
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const ModeScratch& m_;
  TokenWindow w_;
};

}  // namespace

void check_quotes_dashes(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window) {
  QuoteDashChecker(ctx, modes, window).run();
}

}  // namespace perfectex::validators
