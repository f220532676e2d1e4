// The scalar reference lexer: one byte at a time, written for obviousness. Vector kernels must
// produce exactly its token arrays, so every rule about what a token is lives here first.
#include <array>
#include <cstring>

#include "lexer/lexer.h"

namespace perfectex::lexer {
namespace {

enum : std::uint8_t { kOther = 0, kLetter = 1, kSpecial = 2, kBlank = 3, kLineEnd = 4 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> c{};
  for (int ch = 'a'; ch <= 'z'; ++ch) c[ch] = kLetter;
  for (int ch = 'A'; ch <= 'Z'; ++ch) c[ch] = kLetter;
  for (unsigned char ch : std::string_view("\\{}$&#^_~%[]")) c[ch] = kSpecial;
  c[' '] = kBlank;
  c['\t'] = kBlank;
  c['\n'] = kLineEnd;
  c['\r'] = kLineEnd;
  return c;
}
constexpr std::array<std::uint8_t, 256> kClass = make_classes();

std::uint8_t cls(char ch) {
  return kClass[static_cast<unsigned char>(ch)];
}

// Commands whose argument is not TeX: \verb|..|, \url{..}, \lstinline{..}, ...
enum class VerbArg { Delimited, BraceOrDelimited, Brace, LangThenBraceOrDelimited };
struct VerbCommand {
  std::string_view name;
  VerbArg arg;
};
constexpr VerbCommand kVerbCommands[] = {
    {"verb", VerbArg::Delimited},
    {"Verb", VerbArg::Delimited},
    {"lstinline", VerbArg::BraceOrDelimited},
    {"mintinline", VerbArg::LangThenBraceOrDelimited},
    {"url", VerbArg::Brace},
    {"path", VerbArg::Brace},
    {"href", VerbArg::Brace},
};

class ScalarLexer {
 public:
  ScalarLexer(std::string_view text, TokenBuffer& out, LexState state = {})
      : t_(text), n_(text.size()), out_(out), state_(state) {}

  // One step is one token, or a verb command with its argument; a resumed lex asks stop after
  // each. One flattened instantiation per use: with the steps shared out of line between the
  // whole-document lex and the resumed one, the former ran at 1.10 ms instead of 0.78 ms on
  // perf_smoke_big.
  template <bool kResumed>
  [[gnu::flatten]] LexResult run(std::size_t i, StopCondition* stop) {
    out_.clear();
    while (i < n_) {
      if (state_.verbatim_env != 0 && i >= state_.verbatim_from) {
        i = verbatim_body(i);
      } else {
        i = token_at(i);
      }
      if (full_) return {LexStatus::CapacityExceeded, out_.size(), state_, i};
      if constexpr (kResumed) {
        if (stop->stop(i, state_)) break;
      }
    }
    return {LexStatus::Ok, out_.size(), state_, i};
  }

 private:
  void emit(TokenKind kind, std::size_t begin, std::size_t end) {
    if (!out_.push(kind, static_cast<std::uint32_t>(begin),
                   static_cast<std::uint32_t>(end - begin))) {
      full_ = true;
    }
  }

  // Bytes up to which whitespace runs may extend: a verbatim body that starts on the next line.
  std::size_t limit() const { return state_.verbatim_env != 0 ? state_.verbatim_from : n_; }

  std::size_t line_end_length(std::size_t i) const {
    if (t_[i] == '\r' && i + 1 < n_ && t_[i + 1] == '\n') return 2;
    return 1;
  }

  bool is_letter(char ch) const { return cls(ch) == kLetter || (ch == '@' && state_.at_letter); }

  std::size_t token_at(std::size_t i) {
    char ch = t_[i];
    switch (cls(ch)) {
      case kBlank: {
        std::size_t j = i + 1, lim = limit();
        while (j < lim && cls(t_[j]) == kBlank) ++j;
        emit(TokenKind::Space, i, j);
        return j;
      }
      case kLineEnd:
        return line_end(i);
      case kSpecial:
        return special(i);
      default: {
        // A text run: everything up to the next special character, blank or line end.
        std::size_t j = i + 1;
        while (j < n_ && cls(t_[j]) <= kLetter) ++j;
        emit(TokenKind::Text, i, j);
        return j;
      }
    }
  }

  // One line end, or a paragraph break: line ends separated only by blanks.
  std::size_t line_end(std::size_t i) {
    std::size_t lim = limit();
    std::size_t j = i + line_end_length(i);
    std::size_t end = j;
    bool paragraph = false;
    for (;;) {
      std::size_t k = end;
      while (k < lim && cls(t_[k]) == kBlank) ++k;
      if (k < lim && cls(t_[k]) == kLineEnd) {
        end = k + line_end_length(k);
        if (end > lim) end = lim;
        paragraph = true;
      } else {
        break;
      }
    }
    emit(paragraph ? TokenKind::ParagraphBreak : TokenKind::Newline, i, paragraph ? end : j);
    return paragraph ? end : j;
  }

  std::size_t special(std::size_t i) {
    switch (t_[i]) {
      case '\\':
        return control_sequence(i);
      case '{':
        emit(TokenKind::BeginGroup, i, i + 1);
        break;
      case '}':
        emit(TokenKind::EndGroup, i, i + 1);
        break;
      case '$':
        emit(TokenKind::MathShift, i, i + 1);
        break;
      case '&':
        emit(TokenKind::Alignment, i, i + 1);
        break;
      case '#':
        emit(TokenKind::Parameter, i, i + 1);
        break;
      case '^':
        emit(TokenKind::Superscript, i, i + 1);
        break;
      case '_':
        emit(TokenKind::Subscript, i, i + 1);
        break;
      case '~':
        emit(TokenKind::Active, i, i + 1);
        break;
      case '[':
        emit(TokenKind::OpenBracket, i, i + 1);
        break;
      case ']':
        emit(TokenKind::CloseBracket, i, i + 1);
        break;
      case '%': {
        std::size_t j = i + 1;
        while (j < n_ && cls(t_[j]) != kLineEnd) ++j;
        emit(TokenKind::Comment, i, j);
        return j;
      }
      default:
        break;
    }
    return i + 1;
  }

  static std::size_t utf8_length(unsigned char lead) {
    if (lead < 0xC0) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    return lead < 0xF8 ? 4 : 1;
  }

  std::size_t control_sequence(std::size_t i) {
    if (i + 1 >= n_ || cls(t_[i + 1]) == kLineEnd) {
      emit(TokenKind::ControlSymbol, i, i + 1);
      return i + 1;
    }
    if (!is_letter(t_[i + 1])) {
      // A control symbol takes one character; a multi-byte UTF-8 character stays whole.
      std::size_t len = utf8_length(static_cast<unsigned char>(t_[i + 1]));
      std::size_t j = i + 1 + len;
      for (std::size_t k = i + 2; k < j; ++k) {
        if (k >= n_ || (static_cast<unsigned char>(t_[k]) & 0xC0) != 0x80) {
          j = i + 2;
          break;
        }
      }
      emit(TokenKind::ControlSymbol, i, j);
      return j;
    }
    std::size_t j = i + 2;
    while (j < n_ && is_letter(t_[j])) ++j;
    emit(TokenKind::ControlWord, i, j);
    std::string_view name = t_.substr(i + 1, j - i - 1);
    if (name == "makeatletter") {
      state_.at_letter = true;
    } else if (name == "makeatother") {
      state_.at_letter = false;
    } else if (name == "begin") {
      arm_verbatim_environment(j);
    } else {
      for (const VerbCommand& command : kVerbCommands) {
        if (command.name == name) return verbatim_argument(j, command.arg);
      }
    }
    return j;
  }

  // After \begin: if {name} names a verbatim environment, its body starts after it (or on the
  // next line) and runs to \end{name}.
  void arm_verbatim_environment(std::size_t j) {
    while (j < n_ && cls(t_[j]) == kBlank) ++j;
    if (j >= n_ || t_[j] != '{') return;
    // A name is short and on one line: the look never leaves the line (see incremental_lexer.h).
    std::size_t close = j + 1;
    while (close < n_ && close - j <= 32 && t_[close] != '}' && cls(t_[close]) != kLineEnd) ++close;
    if (close >= n_ || t_[close] != '}') return;
    std::string_view name = t_.substr(j + 1, close - j - 1);
    for (std::size_t k = 0; k < std::size(kVerbatimEnvironments); ++k) {
      if (kVerbatimEnvironments[k].name != name) continue;
      std::size_t from = close + 1;
      if (kVerbatimEnvironments[k].body_starts_next_line) {
        while (from < n_ && cls(t_[from]) != kLineEnd) ++from;
        if (from < n_) from += line_end_length(from);
      }
      state_.verbatim_env = static_cast<std::uint8_t>(k + 1);
      state_.verbatim_from = static_cast<std::uint32_t>(from);
      return;
    }
  }

  std::size_t verbatim_body(std::size_t i) {
    std::string_view name = kVerbatimEnvironments[state_.verbatim_env - 1].name;
    std::size_t end = i;
    for (;;) {
      end = t_.find("\\end{", end);
      if (end == std::string_view::npos) {
        end = n_;
        break;
      }
      if (t_.compare(end + 5, name.size(), name) == 0 && end + 5 + name.size() < n_ &&
          t_[end + 5 + name.size()] == '}') {
        break;
      }
      end += 5;
    }
    if (end > i) emit(TokenKind::Verbatim, i, end);
    state_.verbatim_env = 0;
    state_.verbatim_from = 0;
    return end;
  }

  // Index just past the brace group starting at j ('{'), counting nested braces; npos when the
  // group is not closed before a blank line or the end of the text.
  std::size_t brace_group_end(std::size_t j) const {
    int depth = 0;
    for (std::size_t k = j; k < n_; ++k) {
      char ch = t_[k];
      if (ch == '{') {
        ++depth;
      } else if (ch == '}') {
        if (--depth == 0) return k + 1;
      } else if (cls(ch) == kLineEnd) {
        std::size_t m = k + line_end_length(k);
        while (m < n_ && cls(t_[m]) == kBlank) ++m;
        if (m < n_ && cls(t_[m]) == kLineEnd) return std::string_view::npos;
        k = m - 1;
      }
    }
    return std::string_view::npos;
  }

  // Index of the ']' closing options that start at j ('['); npos when the line ends first.
  std::size_t find_close_bracket(std::size_t j) const {
    for (std::size_t k = j; k < n_ && cls(t_[k]) != kLineEnd; ++k) {
      if (t_[k] == ']') return k;
    }
    return std::string_view::npos;
  }

  // Index just past a delimited argument starting at j (the delimiter), or the line end when the
  // closing delimiter is missing; npos when t_[j] cannot be a delimiter.
  std::size_t delimited_end(std::size_t j) const {
    if (j >= n_) return std::string_view::npos;
    char delim = t_[j];
    if (cls(delim) == kLetter || cls(delim) == kBlank || cls(delim) == kLineEnd || delim == '{' ||
        delim == '}') {
      return std::string_view::npos;
    }
    std::size_t k = j + 1;
    while (k < n_ && t_[k] != delim && cls(t_[k]) != kLineEnd) ++k;
    return k < n_ && t_[k] == delim ? k + 1 : k;
  }

  std::size_t verbatim_argument(std::size_t j, VerbArg arg) {
    std::size_t start = j, end = std::string_view::npos;
    switch (arg) {
      case VerbArg::Delimited:
        if (j < n_ && t_[j] == '*') ++j;
        end = delimited_end(j);
        break;
      case VerbArg::Brace:
        while (j < n_ && cls(t_[j]) == kBlank) ++j;
        if (j < n_ && t_[j] == '{') end = brace_group_end(j);
        break;
      case VerbArg::LangThenBraceOrDelimited:
        while (j < n_ && cls(t_[j]) == kBlank) ++j;
        if (j < n_ && t_[j] == '[') {
          std::size_t close = find_close_bracket(j);
          if (close == std::string_view::npos) return start;
          j = close + 1;
        }
        if (j >= n_ || t_[j] != '{') return start;
        j = brace_group_end(j);
        if (j == std::string_view::npos) return start;
        [[fallthrough]];
      case VerbArg::BraceOrDelimited:
        if (arg == VerbArg::BraceOrDelimited && j < n_ && t_[j] == '[') {
          std::size_t close = find_close_bracket(j);
          if (close == std::string_view::npos) return start;
          j = close + 1;
        }
        end = j < n_ && t_[j] == '{' ? brace_group_end(j) : delimited_end(j);
        break;
    }
    if (end == std::string_view::npos) return start;
    emit(TokenKind::Verbatim, start, end);
    return end;
  }

  std::string_view t_;
  std::size_t n_;
  TokenBuffer& out_;
  LexState state_;
  bool full_ = false;
};

}  // namespace

LexResult lex_scalar(std::string_view text, TokenBuffer& out) {
  return ScalarLexer(text, out).run<false>(0, nullptr);
}

LexResult lex_scalar_from(std::string_view text, std::size_t from, LexState state, TokenBuffer& out,
                          StopCondition& stop) {
  return ScalarLexer(text, out, state).run<true>(from, &stop);
}

}  // namespace perfectex::lexer
