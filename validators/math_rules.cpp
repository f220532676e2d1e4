#include "validators/math_rules.h"

#include <algorithm>

namespace perfectex::validators {
namespace {

using lexer::TokenKind;

constexpr std::string_view kFunctions[] = {
    "sin",  "cos",  "tan",  "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh",
    "cosh", "tanh", "coth", "log", "ln",  "lg",  "exp",    "lim",    "max",    "min",
    "sup",  "inf",  "det",  "gcd",
};

bool is_function(std::string_view word) {
  return std::find(std::begin(kFunctions), std::end(kFunctions), word) != std::end(kFunctions);
}

// Whether the token at i sits in a group that is the argument of ^ or _ (x_{max}).
bool in_script_group(const RuleContext& ctx, const Event& e) {
  return e.group > 0 && (ctx.tokens.kind(e.group - 1) == TokenKind::Superscript ||
                         ctx.tokens.kind(e.group - 1) == TokenKind::Subscript);
}

class MathChecker {
 public:
  MathChecker(const RuleContext& ctx, const ModeScratch& m, TokenWindow w)
      : ctx_(ctx), toks_(ctx.tokens), m_(m), w_(w) {}

  void run() {
    for (const MathSpan& span : in_window(m_.math, w_)) math_span(span);
    for (const Event& e : in_window(m_.texts, w_)) {
      if (e.mode & mode::kMath) {
        if (e.chars & chars::kLetters) functions(e);
      } else if ((e.chars & chars::kTimes) && prose(e)) {
        times(e);
      }
    }
    for (const Event& e : in_window(m_.events, w_)) {
      switch (e.cmd) {
        case Cmd::Script:
          script(e);
          break;
        case Cmd::MathOnly:
          if (!(e.mode & mode::kMath) && strict_text(e)) {
            Diagnostic d = make_diagnostic(RuleId::MathCommandInText, token_span(ctx_, e.token));
            d.args[0] = d.range;
            ctx_.out.emit(d);
          }
          break;
        case Cmd::OverPrimitive:
          if (e.mode & mode::kMath) {
            Diagnostic d = make_diagnostic(RuleId::OverPrimitive, token_span(ctx_, e.token));
            d.args[0] = d.range;
            ctx_.out.emit(d);
          }
          break;
        case Cmd::Begin: {
          Span name = event_name(ctx_, e);
          std::string_view text = ctx_.text.substr(name.begin, name.end - name.begin);
          if (text == "eqnarray" || text == "eqnarray*")
            ctx_.out.emit(make_diagnostic(
                RuleId::Eqnarray, {toks_.begin(e.token), toks_.end(e.group)}));
          break;
        }
        case Cmd::End:
          if (e.env == EnvKind::Math && !(e.mode & mode::kPreamble)) after_display_env(e);
          break;
        default:
          break;
      }
    }
  }

 private:
  static bool prose(const Event& e) {
    return !(e.mode & (mode::kNotProse | mode::kPreamble));
  }

  // Text mode for certain: not math, not an argument we do not understand, inside the document
  // body or a prose environment. Only there is a math-only command an error LaTeX stops on.
  bool strict_text(const Event& e) const {
    if (e.mode & (mode::kNotProse | mode::kPreamble | mode::kUnknownArg)) return false;
    return e.env == EnvKind::Document || e.env == EnvKind::Prose || e.env == EnvKind::Centered ||
           (e.env == EnvKind::None && m_.has_begin_document);
  }

  void math_span(const MathSpan& span) {
    bool closed = span.close_token != MathSpan::kNoToken;
    Span whole = {span.open.begin, closed ? span.close.end : span.open.end};
    if (span.opener == MathOpener::DoubleDollar) {
      ctx_.out.emit(make_diagnostic(RuleId::DisplayDollars, whole));
    } else if (span.opener == MathOpener::Dollar && closed && ctx_.out.wants(RuleId::InlineDollars)) {
      ctx_.out.emit(make_diagnostic(RuleId::InlineDollars, whole));
    }
    if (!closed) return;
    if (span.opener == MathOpener::Dollar || span.opener == MathOpener::Paren) {
      // $x,$: the punctuation belongs outside.
      std::uint32_t at = span.close.begin;
      while (at > span.open.end && ctx_.text[at - 1] == ' ') --at;
      if (at > span.open.end + 1 && is_sentence_punct(ctx_.text[at - 1]) &&
          !after_control_sequence(at - 1)) {
        Diagnostic d = make_diagnostic(RuleId::PunctuationInInlineMath, {at - 1, at});
        d.args[0] = d.range;
        d.fix_at = span.close.end;
        ctx_.out.emit(d);
      }
    } else {
      punctuation_after_display(span.close.begin, span.close.end);
    }
  }

  // Whether the punctuation at byte at belongs to a command: `\,` or the null delimiter of
  // `\right.`, `\bigr.`, `\middle.`.
  bool after_control_sequence(std::uint32_t at) const {
    std::uint32_t k = at;
    while (k > 0 && is_letter(ctx_.text[k - 1])) --k;
    if (k == 0 || ctx_.text[k - 1] != '\\') return false;
    std::string_view name = ctx_.text.substr(k, at - k);
    return name.empty() || name == "right" || name == "middle" || name.starts_with("big") ||
           name.starts_with("Big");
  }

  static bool is_sentence_punct(char c) { return c == '.' || c == ',' || c == ';'; }

  // \] or \end{equation} followed at once by a period or comma.
  void punctuation_after_display(std::uint32_t close_begin, std::uint32_t close_end) {
    if (close_end >= ctx_.text.size() || !is_sentence_punct(ctx_.text[close_end])) return;
    Diagnostic d = make_diagnostic(RuleId::PunctuationAfterDisplayMath, {close_end, close_end + 1});
    d.args[0] = d.range;
    d.fix_at = close_begin;
    ctx_.out.emit(d);
  }

  void after_display_env(const Event& e) {
    Span name = event_name(ctx_, e);
    if (name.empty() || ctx_.text.substr(name.begin, name.end - name.begin) == "math") return;
    punctuation_after_display(toks_.begin(e.token), toks_.end(e.group));
  }

  // sin, log, max written as letters in math.
  void functions(const Event& e) {
    if (e.mode & (mode::kOpaque | mode::kUnknownArg)) return;
    if (in_script_group(ctx_, e)) return;
    std::size_t i = e.token;
    if (i > 0 && (toks_.kind(i - 1) == TokenKind::Superscript ||
                  toks_.kind(i - 1) == TokenKind::Subscript))
      return;
    std::string_view t = ctx_.token_text(i);
    std::uint32_t base = toks_.begin(i);
    for (std::size_t k = 0; k < t.size();) {
      if (!is_letter(t[k])) {
        ++k;
        continue;
      }
      std::size_t start = k;
      while (k < t.size() && is_letter(t[k])) ++k;
      if (k - start < 2 || !is_function(t.substr(start, k - start))) continue;
      Span word = {base + static_cast<std::uint32_t>(start), base + static_cast<std::uint32_t>(k)};
      Diagnostic d = make_diagnostic(RuleId::BareMathFunction, word);
      d.args[0] = word;
      d.fix_at = word.begin;
      ctx_.out.emit(d);
    }
  }

  // 640x200 in text.
  void times(const Event& e) {
    std::string_view t = ctx_.token_text(e.token);
    std::uint32_t base = toks_.begin(e.token);
    for (std::size_t x = 1; x + 1 < t.size(); ++x) {
      if (t[x] != 'x' || !is_digit(t[x - 1]) || !is_digit(t[x + 1])) continue;
      std::size_t a = x, b = x + 1;
      while (a > 0 && is_digit(t[a - 1])) --a;
      while (b < t.size() && is_digit(t[b])) ++b;
      if (a > 0 && (is_letter(t[a - 1]) || t[a - 1] == '.')) continue;
      if (b < t.size() && is_letter(t[b])) continue;
      if (x - a == 1 && t[a] == '0') continue;  // 0x1F is hexadecimal
      Diagnostic d = make_diagnostic(RuleId::TimesBetweenNumbers,
                                     {base + static_cast<std::uint32_t>(a),
                                      base + static_cast<std::uint32_t>(b)});
      d.args[0] = d.range;
      d.fix_at = base + static_cast<std::uint32_t>(x);
      ctx_.out.emit(d);
    }
  }

  void script(const Event& e) {
    std::size_t i = e.token;
    std::size_t n = toks_.size();
    if (!(e.mode & mode::kMath)) {
      if (strict_text(e) && !(toks_.kind(i) == TokenKind::Subscript && m_.underscore_package)) {
        Diagnostic d = make_diagnostic(RuleId::MathCommandInText, token_span(ctx_, i));
        d.args[0] = d.range;
        ctx_.out.emit(d);
      }
      return;
    }
    if (e.mode & (mode::kOpaque | mode::kUnknownArg)) return;
    // ^10: only the 1 is raised.
    if (i + 1 < n && toks_.kind(i + 1) == TokenKind::Text) {
      std::string_view t = ctx_.token_text(i + 1);
      std::size_t k = 0;
      while (k < t.size() && is_digit(t[k])) ++k;
      // j_01 is j_0 followed by 1 (a leading zero is no number): leave it.
      if (k >= 2 && t[0] != '0') {
        Span digits = {toks_.begin(i + 1), toks_.begin(i + 1) + static_cast<std::uint32_t>(k)};
        Diagnostic d = make_diagnostic(RuleId::ScriptNeedsBraces, digits);
        d.args[0] = digits;
        ctx_.out.emit(d);
      }
    }
    if (ctx_.out.wants(RuleId::ParenthesisBeforeScript)) parenthesis_before(i);
  }

  // (ab)^2: the script attaches to the closing parenthesis only.
  void parenthesis_before(std::size_t i) {
    if (i == 0) return;
    std::size_t p = i - 1;
    char closer = 0;
    if (toks_.kind(p) == TokenKind::CloseBracket) {
      closer = ']';
    } else if (toks_.kind(p) == TokenKind::Text && ctx_.text[toks_.end(p) - 1] == ')') {
      closer = ')';
    } else {
      return;
    }
    char opener = closer == ')' ? '(' : '[';
    std::uint32_t at = toks_.end(p) - 1;
    int depth = 0;
    std::uint32_t limit = at > 512 ? at - 512 : 0;
    for (std::uint32_t k = at + 1; k-- > limit;) {
      char c = ctx_.text[k];
      if (c == closer) ++depth;
      if (c == opener && --depth == 0) {
        if (k > 0 && ctx_.text[k - 1] == '\\') return;  // \left( or \[
        Diagnostic d = make_diagnostic(RuleId::ParenthesisBeforeScript, {at, at + 1});
        d.fix_at = k;
        ctx_.out.emit(d);
        return;
      }
      if (c == '$' || c == '\n') return;
    }
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  const ModeScratch& m_;
  TokenWindow w_;
};

}  // namespace

void check_math(const RuleContext& ctx, const ModeScratch& modes, TokenWindow window) {
  MathChecker(ctx, modes, window).run();
}

}  // namespace perfectex::validators
